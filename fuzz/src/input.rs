//! Reading structured values out of a fuzzer's bytes.
//!
//! Fields are separated by a NUL byte, so the fuzzer's insertions and deletions inside a
//! field do not shift the others; a selector is one byte taken modulo the choices.

/// A cursor over fuzz input.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    rest: &'a [u8],
}

/// The field separator of [`Input::field`] and [`Input::text`].
pub const SEP: u8 = 0;

impl<'a> Input<'a> {
    /// A cursor at the start of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Input { rest: data }
    }

    /// Whether nothing is left.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// One byte (0 once the input is used up).
    pub fn byte(&mut self) -> u8 {
        match self.rest.split_first() {
            Some((b, rest)) => {
                self.rest = rest;
                *b
            }
            None => 0,
        }
    }

    /// A choice among `n` (n > 0), from one byte.
    pub fn choose(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }

    /// Eight bytes, big-endian (missing bytes are 0).
    pub fn u64(&mut self) -> u64 {
        (0..8).fold(0u64, |acc, _| (acc << 8) | u64::from(self.byte()))
    }

    /// The bytes up to the next separator (which is consumed), or all that is left.
    pub fn field(&mut self) -> &'a [u8] {
        match self.rest.iter().position(|&b| b == SEP) {
            Some(at) => {
                let (field, rest) = self.rest.split_at(at);
                self.rest = &rest[1..];
                field
            }
            None => std::mem::take(&mut self.rest),
        }
    }

    /// [`Input::field`] as text (invalid UTF-8 replaced).
    pub fn text(&mut self) -> String {
        String::from_utf8_lossy(self.field()).into_owned()
    }

    /// Everything that is left.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.rest)
    }
}

/// Writes fields in the layout [`Input`] reads, for seed corpora.
#[derive(Debug, Default, Clone)]
pub struct Builder(Vec<u8>);

impl Builder {
    /// An empty input.
    pub fn new() -> Self {
        Builder::default()
    }

    /// Appends a selector byte.
    pub fn byte(mut self, b: u8) -> Self {
        self.0.push(b);
        self
    }

    /// Appends eight big-endian bytes.
    pub fn u64(mut self, v: u64) -> Self {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// Appends a field and its separator.
    pub fn field(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.0.extend_from_slice(bytes.as_ref());
        self.0.push(SEP);
        self
    }

    /// Appends the last bytes (no separator).
    pub fn rest(mut self, bytes: impl AsRef<[u8]>) -> Vec<u8> {
        self.0.extend_from_slice(bytes.as_ref());
        self.0
    }

    /// The bytes written so far.
    pub fn finish(self) -> Vec<u8> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_and_reader_agree() {
        let data = Builder::new().byte(7).u64(0x0102_0304_0506_0708).field("ab").field("").rest("tail\0x");
        let mut input = Input::new(&data);
        assert_eq!(input.byte(), 7);
        assert_eq!(input.u64(), 0x0102_0304_0506_0708);
        assert_eq!(input.text(), "ab");
        assert_eq!(input.field(), b"");
        assert_eq!(input.rest(), b"tail\0x");
        assert!(input.is_empty());
        assert_eq!((input.byte(), input.u64(), input.field()), (0, 0, &b""[..]));
    }
}
