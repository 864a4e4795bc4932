//! Input rules for UserIDs and names, checked before any I/O.

use tx_core::Error;

/// The longest UserID, in bytes. The reference asserts no rule of its own; account
/// import, which creates every account, refuses longer ids, so a longer id names no
/// account (the emulator enforces the same limit).
pub const MAX_USER_ID_BYTES: usize = 32;

/// Checks one UserID: not empty, at most [`MAX_USER_ID_BYTES`].
pub(crate) fn check_id(field: impl Into<String>, id: &str) -> Result<(), Error> {
    if id.is_empty() {
        return Err(Error::invalid_input(field.into(), "must not be empty"));
    }
    if id.len() > MAX_USER_ID_BYTES {
        return Err(Error::invalid_input(
            field.into(),
            format_args!("is {} bytes long; a UserID has at most {MAX_USER_ID_BYTES}", id.len()),
        ));
    }
    Ok(())
}

/// Checks `From_Account`.
pub(crate) fn check_from(from: &str) -> Result<(), Error> {
    check_id("From_Account", from)
}

/// Collects and checks a list of UserIDs: not empty, each id valid.
pub(crate) fn collect_ids<I, S>(field: &'static str, ids: I) -> Result<Vec<String>, Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let ids: Vec<String> = ids.into_iter().map(|s| s.as_ref().to_owned()).collect();
    if ids.is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    for (i, id) in ids.iter().enumerate() {
        check_id(format!("{field}[{i}]"), id)?;
    }
    Ok(ids)
}

/// Collects and checks a list of names (friend groups, tags): not empty, each non-empty.
pub(crate) fn collect_names<I, S>(field: &'static str, names: I, max: usize) -> Result<Vec<String>, Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let names: Vec<String> = names.into_iter().map(|s| s.as_ref().to_owned()).collect();
    if names.is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    if names.len() > max {
        return Err(Error::invalid_input(
            field,
            format_args!("has {} entries; at most {max} are allowed", names.len()),
        ));
    }
    if let Some(i) = names.iter().position(String::is_empty) {
        return Err(Error::invalid_input(format!("{field}[{i}]"), "must not be empty"));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tx_core::ErrorKind;

    #[test]
    fn id_rules() {
        assert!(check_id("To_Account", "bob").is_ok());
        assert!(check_id("To_Account", &"x".repeat(32)).is_ok());
        let e = check_id("To_Account[3]", &"x".repeat(33)).unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("To_Account[3]")));
        assert_eq!(
            check_id("From_Account", "").unwrap_err().to_string(),
            "invalid input: From_Account must not be empty"
        );
        assert_eq!(collect_ids("To_Account", Vec::<String>::new()).unwrap_err().field(), Some("To_Account"));
        assert_eq!(collect_ids("To_Account", ["a", "", "c"]).unwrap_err().field(), Some("To_Account[1]"));
        assert_eq!(collect_ids("To_Account", ["a", "b"]).unwrap(), ["a", "b"]);
        // Byte length, not characters: 11 three-byte characters are 33 bytes.
        assert!(check_id("To_Account", &"用".repeat(11)).is_err());
    }

    #[test]
    fn name_rules() {
        assert_eq!(collect_names("GroupName", ["a"], 100).unwrap(), ["a"]);
        assert_eq!(collect_names("GroupName", ["a", ""], 100).unwrap_err().field(), Some("GroupName[1]"));
        assert!(collect_names("GroupName", ["a", "b"], 1).is_err());
        assert!(collect_names::<_, &str>("GroupName", [], 1).is_err());
    }
}
