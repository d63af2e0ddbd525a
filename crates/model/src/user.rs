use serde::{Deserialize, Serialize};

/// The signed-in user as the pages and the API see it: never a hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserInfo {
    pub id: i64,
    pub username: String,
    pub must_change_password: bool,
    /// The language the user chose (`en`, `zh-CN`); `None` until they choose.
    #[serde(default)]
    pub locale: Option<String>,
}

/// Shortest password a user may choose; the bootstrap password is longer.
pub const MIN_PASSWORD_LEN: usize = 10;
/// Argon2 hashes any length, but an unbounded input is a cheap way to burn CPU.
pub const MAX_PASSWORD_LEN: usize = 256;

/// Checks a new account password; `Err` carries the message for the form.
pub fn check_new_password(username: &str, password: &str) -> Result<(), String> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(i18n::say!(forms.password_too_short, min = MIN_PASSWORD_LEN));
    }
    if len > MAX_PASSWORD_LEN {
        return Err(i18n::say!(forms.too_long, max = MAX_PASSWORD_LEN));
    }
    if password.eq_ignore_ascii_case(username) {
        return Err(i18n::say!(forms.password_is_user_name));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_password_rules() {
        assert!(check_new_password("admin", "short").is_err());
        assert!(check_new_password("administrator", "Administrator").is_err());
        assert!(check_new_password("admin", &"x".repeat(257)).is_err());
        assert!(check_new_password("admin", "a-good-passphrase").is_ok());
    }
}
