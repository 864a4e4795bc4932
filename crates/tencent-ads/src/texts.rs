//! The warning texts that the usage notes of `watermarks/add` prescribe per industry.
//!
//! The texts are written as the live documentation page writes them, with the full-width
//! punctuation of Chinese typography: `创业/加盟有风险，投资需谨慎`, `年化利率（单利）…`.
//! The project's copy of the page (seed 002) is a normalized copy with ASCII `(`, `)` and
//! `,`; [`WarningText::to_ascii_punctuation`] gives that form, and the golden tests keep
//! the seed's literal bytes (its request sample `年化利率(复利)2%-22%` is sent as written,
//! as a [`WarningText::custom`] text). Digits, `%`, `-`, `.` and `/` are the same in both.
//!
//! A note's sentences separated by `;` are separate texts, without the `。` that closes the
//! note. Fixed texts are constants; the micro-loan rate texts take two rates:
//!
//! ```
//! use tencent_ads::{AnnualRate, WarningText};
//!
//! let from: AnnualRate = "3.6".parse()?;
//! let to = AnnualRate::from_hundredths(2_400)?;
//! let text = WarningText::loan_annual_rate_simple(from, to)?;
//! assert_eq!(text.as_str(), "年化利率（单利）3.60%-24.00%");
//! assert_eq!(WarningText::FRANCHISE.as_str(), "创业/加盟有风险，投资需谨慎");
//! assert_eq!(text.to_ascii_punctuation().as_str(), "年化利率(单利)3.60%-24.00%");
//! # Ok::<(), tx_core::Error>(())
//! ```

use crate::validate;
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use tx_core::Error;

/// An annualized interest rate of a micro-loan warning text, in hundredths of a percent:
/// `350` is 3.50 %. The notes require two decimals and a value in [0, 24] %; integers keep
/// the two decimals exact (no float rounding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AnnualRate(u16);

impl AnnualRate {
    /// The largest rate the notes allow, in hundredths of a percent (24.00 %).
    pub const MAX_HUNDREDTHS: u16 = 2_400;

    /// A rate in hundredths of a percent, `0..=2400`.
    pub fn from_hundredths(hundredths: u32) -> Result<AnnualRate, Error> {
        match u16::try_from(hundredths) {
            Ok(h) if h <= Self::MAX_HUNDREDTHS => Ok(AnnualRate(h)),
            _ => Err(out_of_range(format_args!("{}.{:02}", hundredths / 100, hundredths % 100))),
        }
    }

    /// A rate in whole percent, `0..=24`.
    pub fn from_percent(percent: u32) -> Result<AnnualRate, Error> {
        AnnualRate::from_hundredths(percent.saturating_mul(100))
    }

    /// The rate in hundredths of a percent.
    pub fn hundredths(self) -> u16 {
        self.0
    }
}

fn out_of_range(shown: impl fmt::Display) -> Error {
    Error::invalid_input("annual_rate", format_args!("must be in [0, 24] percent, got {shown}"))
}

/// Two decimals, as the notes require: `3.50`.
impl fmt::Display for AnnualRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// Parses `3`, `3.5`, `3.50` or `3.50%`: at most two decimals, in [0, 24].
impl FromStr for AnnualRate {
    type Err = Error;

    fn from_str(s: &str) -> Result<AnnualRate, Error> {
        let bad = || {
            Error::invalid_input(
                "annual_rate",
                format_args!("must be a percentage with at most two decimals, got {s:?}"),
            )
        };
        let t = s.trim().trim_end_matches('%').trim_end();
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |d: &str| !d.is_empty() && d.len() <= 4 && d.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !(frac.is_empty() || (frac.len() <= 2 && digits(frac))) || t.ends_with('.') {
            return Err(bad());
        }
        let whole: u32 = whole.parse().map_err(|_| bad())?;
        let frac: u32 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
        AnnualRate::from_hundredths(whole * 100 + frac)
    }
}

/// A warning text for `watermark_configs[].text_content` or `watermark_spec.text[]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WarningText(Cow<'static, str>);

impl WarningText {
    /// Franchise services (招商加盟服务).
    pub const FRANCHISE: WarningText = WarningText(Cow::Borrowed("创业/加盟有风险，投资需谨慎"));
    /// Online reading and FM, online video, and digital content creation (novels, other
    /// videos): the content is fictional.
    pub const FICTIONAL_CONTENT: WarningText = WarningText(Cow::Borrowed("内容虚构，请树立正确价值观"));
    /// Home furnishing (家装家具).
    pub const HOME_FURNISHING: WarningText = WarningText(Cow::Borrowed("具体价格以实际装修方案为准"));
    /// Micro-loans: loans carry risk.
    pub const LOAN_RISK: WarningText = WarningText(Cow::Borrowed("贷款有风险，借款需谨慎"));
    /// Micro-loans: amount and disbursement time depend on approval.
    pub const LOAN_LIMIT_AND_TIMING: WarningText = WarningText(Cow::Borrowed("贷款额度/放款时间等以实际审批为准"));
    /// Micro-loans: the amount depends on approval.
    pub const LOAN_AMOUNT: WarningText = WarningText(Cow::Borrowed("具体金额以实际审批为准"));
    /// Micro-loans: a video creative; WeChat tenure is only one credit factor.
    pub const LOAN_WECHAT_TENURE: WarningText =
        WarningText(Cow::Borrowed("系视频创意，微信使用年限仅为借款人信用评估佐证因子"));
    /// Micro-loans: housing-fund documents only prove capacity.
    pub const LOAN_HOUSING_FUND: WarningText =
        WarningText(Cow::Borrowed("公积金相关资料仅作为贷款服务验资证明，放贷路径与公积金账户无关"));
    /// Micro-loans: the credit score depends on the actual assessment.
    pub const LOAN_CREDIT_SCORE: WarningText = WarningText(Cow::Borrowed("信用分以实际评估为准"));

    /// `年化利率（单利）X%-X%`: the simple-interest annual rate range, two decimals each.
    /// `from` must not exceed `to`.
    pub fn loan_annual_rate_simple(from: AnnualRate, to: AnnualRate) -> Result<WarningText, Error> {
        rate_text("年化利率（单利）", from, to)
    }

    /// `年化利率（复利）X%-X%`: the compound-interest annual rate range, two decimals each.
    ///
    /// The document's own request sample, `年化利率(复利)2%-22%`, has no decimals; the
    /// notes ask for two, so this gives `年化利率（复利）2.00%-22.00%`. The sample itself
    /// passes as a [`WarningText::custom`] text.
    pub fn loan_annual_rate_compound(from: AnnualRate, to: AnnualRate) -> Result<WarningText, Error> {
        rate_text("年化利率（复利）", from, to)
    }

    /// Any other text, checked like every text of a request: not blank, none of the
    /// forbidden characters except `/`.
    pub fn custom(text: impl Into<String>) -> Result<WarningText, Error> {
        let text = text.into();
        validate::check_warning_text("text_content", &text)?;
        Ok(WarningText(Cow::Owned(text)))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text with the full-width punctuation of Chinese typography, as the live
    /// documentation page writes it (and as this crate's texts are written): `(`, `)`, `,`,
    /// `:`, `;` become `（`, `）`, `，`, `：`, `；`. Digits, `%`, `-`, `.` and `/` stay as
    /// they are.
    ///
    /// ```
    /// use tencent_ads::WarningText;
    /// let sample = WarningText::custom("年化利率(复利)2%-22%")?;
    /// assert_eq!(sample.to_full_width().as_str(), "年化利率（复利）2%-22%");
    /// # Ok::<(), tx_core::Error>(())
    /// ```
    pub fn to_full_width(&self) -> WarningText {
        let text = self
            .0
            .chars()
            .map(|c| match c {
                '(' => '（',
                ')' => '）',
                ',' => '，',
                ':' => '：',
                ';' => '；',
                other => other,
            })
            .collect::<String>();
        WarningText(Cow::Owned(text))
    }

    /// The text with ASCII punctuation, as the project's normalized copy of the page (seed
    /// 002) writes it: `（`, `）`, `，`, `：`, `；` become `(`, `)`, `,`, `:`, `;`.
    ///
    /// ```
    /// use tencent_ads::WarningText;
    /// assert_eq!(WarningText::LOAN_RISK.to_ascii_punctuation().as_str(), "贷款有风险,借款需谨慎");
    /// ```
    pub fn to_ascii_punctuation(&self) -> WarningText {
        let text = self
            .0
            .chars()
            .map(|c| match c {
                '（' => '(',
                '）' => ')',
                '，' => ',',
                '：' => ':',
                '；' => ';',
                other => other,
            })
            .collect::<String>();
        WarningText(Cow::Owned(text))
    }
}

fn rate_text(label: &str, from: AnnualRate, to: AnnualRate) -> Result<WarningText, Error> {
    if from > to {
        return Err(Error::invalid_input("annual_rate", format_args!("range must not be reversed, got {from}%-{to}%")));
    }
    Ok(WarningText(Cow::Owned(format!("{label}{from}%-{to}%"))))
}

impl fmt::Display for WarningText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for WarningText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<WarningText> for String {
    fn from(text: WarningText) -> String {
        text.0.into_owned()
    }
}

/// The industries whose ads the usage notes of `watermarks/add` give warning texts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Industry {
    /// 招商加盟服务.
    Franchise,
    /// 互联网内容资讯服务: online reading and FM, online video platforms.
    OnlineContent,
    /// 数字内容创作: digital novels, other video content.
    DigitalContentCreation,
    /// 家装家具.
    HomeFurnishing,
    /// 金融: local and online micro-loans, loan facilitation platforms, consumer finance.
    /// Besides its fixed texts it takes the two rate texts
    /// ([`WarningText::loan_annual_rate_simple`], [`WarningText::loan_annual_rate_compound`]).
    MicroLoan,
}

impl Industry {
    /// Every industry of the notes.
    pub const ALL: [Industry; 5] = [
        Industry::Franchise,
        Industry::OnlineContent,
        Industry::DigitalContentCreation,
        Industry::HomeFurnishing,
        Industry::MicroLoan,
    ];

    /// The ad categories of the industry, as the notes name them.
    pub fn categories(self) -> &'static [&'static str] {
        match self {
            Industry::Franchise => &["招商加盟服务"],
            Industry::OnlineContent => &["互联网内容资讯服务-阅读与在线 FM 收听", "互联网内容资讯服务-在线视频平台"],
            Industry::DigitalContentCreation => &["数字内容创作-数字小说创作", "数字内容创作-其他视频内容"],
            Industry::HomeFurnishing => &["家装家具"],
            Industry::MicroLoan => &["金融-地方小额贷款", "金融-网络小额贷款", "金融-助贷平台", "金融-消费金融"],
        }
    }

    /// The industry's fixed texts, in the order of the notes.
    pub fn fixed_texts(self) -> &'static [WarningText] {
        match self {
            Industry::Franchise => &[WarningText::FRANCHISE],
            Industry::OnlineContent | Industry::DigitalContentCreation => &[WarningText::FICTIONAL_CONTENT],
            Industry::HomeFurnishing => &[WarningText::HOME_FURNISHING],
            Industry::MicroLoan => &[
                WarningText::LOAN_RISK,
                WarningText::LOAN_LIMIT_AND_TIMING,
                WarningText::LOAN_AMOUNT,
                WarningText::LOAN_WECHAT_TENURE,
                WarningText::LOAN_HOUSING_FUND,
                WarningText::LOAN_CREDIT_SCORE,
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The usage notes of seed 002, as its bytes are.
    const SEED_NOTES: &str = "- 招商加盟服务:创业/加盟有风险,投资需谨慎。
- 互联网内容资讯服务-阅读与在线 FM 收听、互联网内容资讯服务-在线视频平台:内容虚构,请树立正确价值观。
- 数字内容创作-数字小说创作、数字内容创作-其他视频内容:内容虚构,请树立正确价值观。
- 家装家具:具体价格以实际装修方案为准。
- 金融-地方小额贷款、金融-网络小额贷款、金融-助贷平台、金融-消费金融:贷款有风险,借款需谨慎;贷款额度/放款时间等以实际审批为准;具体金额以实际审批为准;系视频创意,微信使用年限仅为借款人信用评估佐证因子;公积金相关资料仅作为贷款服务验资证明,放贷路径与公积金账户无关;信用分以实际评估为准;年化利率(单利)X%-X%;年化利率(复利)X%-X%;(X 替换为小数,精确到小数点后两位,取值范围[0-24])。";

    fn rate(h: u32) -> AnnualRate {
        AnnualRate::from_hundredths(h).unwrap()
    }

    #[test]
    fn fixed_texts_are_the_seed_notes_sentence_for_sentence() {
        // The seed is the normalized (ASCII) copy: compare in that form, and check that the
        // full-width form is the seed's with its punctuation widened.
        for (industry, line) in Industry::ALL.into_iter().zip(SEED_NOTES.lines()) {
            let (categories, sentences) = line.trim_start_matches("- ").split_once(':').unwrap();
            assert_eq!(industry.categories().join("、"), categories, "{industry:?}");
            let sentences: Vec<&str> = sentences.trim_end_matches('。').split(';').collect();
            let fixed: Vec<String> =
                industry.fixed_texts().iter().map(|t| t.to_ascii_punctuation().as_str().to_owned()).collect();
            assert_eq!(fixed, sentences[..fixed.len()], "{industry:?}");
            for (t, seed) in industry.fixed_texts().iter().zip(&sentences) {
                let widened = WarningText(Cow::Owned((*seed).to_owned())).to_full_width();
                assert_eq!(t, &widened, "{industry:?}");
                assert!(!t.as_str().contains([',', '(', ')']), "full-width by default: {t}");
            }
            if industry == Industry::MicroLoan {
                assert_eq!(&sentences[fixed.len()..fixed.len() + 2], ["年化利率(单利)X%-X%", "年化利率(复利)X%-X%"]);
            } else {
                assert_eq!(sentences.len(), fixed.len(), "{industry:?}");
            }
        }
        for industry in Industry::ALL {
            for t in industry.fixed_texts() {
                validate::check_warning_text("t", t.as_str()).unwrap();
            }
        }
    }

    #[test]
    fn rate_texts_have_two_decimals() {
        let simple = WarningText::loan_annual_rate_simple(rate(360), rate(2_400)).unwrap();
        assert_eq!(simple.as_str(), "年化利率（单利）3.60%-24.00%");
        let compound = WarningText::loan_annual_rate_compound(rate(200), rate(2_200)).unwrap();
        assert_eq!(compound.as_str(), "年化利率（复利）2.00%-22.00%");
        assert_eq!(compound.to_ascii_punctuation().as_str(), "年化利率(复利)2.00%-22.00%");
        let zero = WarningText::loan_annual_rate_simple(rate(0), rate(0)).unwrap();
        assert_eq!(zero.as_str(), "年化利率（单利）0.00%-0.00%");
        let e = WarningText::loan_annual_rate_simple(rate(500), rate(499)).unwrap_err();
        assert_eq!(e.to_string(), "invalid input: annual_rate range must not be reversed, got 5.00%-4.99%");
        assert_eq!(
            String::from(WarningText::loan_annual_rate_compound(rate(7), rate(1_205)).unwrap()),
            "年化利率（复利）0.07%-12.05%"
        );
        validate::check_warning_text("t", simple.as_str()).unwrap();
    }

    #[test]
    fn rates_stay_in_zero_to_twenty_four() {
        assert_eq!(rate(2_400).to_string(), "24.00");
        assert_eq!(AnnualRate::from_percent(24).unwrap(), rate(2_400));
        assert_eq!(
            AnnualRate::from_hundredths(2_401).unwrap_err().to_string(),
            "invalid input: annual_rate must be in [0, 24] percent, got 24.01"
        );
        assert!(AnnualRate::from_percent(25).is_err());
        assert!(AnnualRate::from_percent(u32::MAX).is_err());
        assert!(AnnualRate::from_hundredths(70_000).is_err());
        for (s, h) in [
            ("0", 0),
            ("3", 300),
            ("3.5", 350),
            ("3.50", 350),
            ("3.05", 305),
            ("24", 2_400),
            (" 7.2% ", 720),
            ("024.00", 2_400),
        ] {
            assert_eq!(s.parse::<AnnualRate>().unwrap().hundredths(), h, "{s}");
        }
        for s in ["", "%", ".5", "3.", "3.505", "-1", "24.01", "1e1", "3,5", "abc", "3.5.1", "99999"] {
            assert_eq!(s.parse::<AnnualRate>().unwrap_err().field(), Some("annual_rate"), "{s}");
        }
    }

    #[test]
    fn the_documents_sample_is_a_custom_text() {
        let sample = WarningText::custom("年化利率(复利)2%-22%").unwrap();
        assert_eq!(sample.to_string(), "年化利率(复利)2%-22%");
        assert_eq!(WarningText::custom(" ").unwrap_err().field(), Some("text_content"));
        assert!(WarningText::custom("<b>").is_err());
    }

    #[test]
    fn punctuation_forms_convert_both_ways() {
        assert_eq!(WarningText::LOAN_RISK.as_str(), "贷款有风险，借款需谨慎");
        assert_eq!(WarningText::LOAN_RISK.to_full_width(), WarningText::LOAN_RISK, "already full-width");
        assert_eq!(WarningText::FRANCHISE.to_ascii_punctuation().as_str(), "创业/加盟有风险,投资需谨慎");
        let sample = WarningText::custom("年化利率(复利)2%-22%").unwrap();
        assert_eq!(sample.to_full_width().as_str(), "年化利率（复利）2%-22%");
        assert_eq!(sample.to_full_width().to_ascii_punctuation(), sample);
        assert_eq!(WarningText::custom("a:b;c").unwrap().to_full_width().as_str(), "a：b；c");
    }
}
