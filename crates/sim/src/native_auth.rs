//! `mysql_native_password`: checking a client's scramble against the salt.

use sha1::{Digest, Sha1};

fn sha1(data: &[u8]) -> [u8; 20] {
    Sha1::digest(data).into()
}

/// SHA1(password) XOR SHA1(salt + SHA1(SHA1(password))), as a client sends it.
pub fn scramble_native(salt: &[u8], password: &[u8]) -> [u8; 20] {
    let stage1 = sha1(password);
    let stage2 = sha1(&stage1);
    let mut hasher = Sha1::new();
    hasher.update(salt);
    hasher.update(stage2);
    let mix: [u8; 20] = hasher.finalize().into();
    let mut out = [0u8; 20];
    for (o, (a, b)) in out.iter_mut().zip(stage1.iter().zip(mix.iter())) {
        *o = a ^ b;
    }
    out
}

/// Does `auth_data` prove knowledge of `password` for this salt?
/// An empty password must arrive as empty auth data.
pub fn verify_native(salt: &[u8], password: &str, auth_data: &[u8]) -> bool {
    if password.is_empty() {
        return auth_data.is_empty();
    }
    auth_data == scramble_native(salt, password.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_accepts_the_right_scramble_only() {
        let salt = [7u8; 20];
        let good = scramble_native(&salt, b"secret");
        assert!(verify_native(&salt, "secret", &good));
        assert!(!verify_native(&salt, "other", &good));
        assert!(verify_native(&salt, "", &[]));
        assert!(!verify_native(&salt, "", &good));
        let other_salt = [8u8; 20];
        assert!(
            !verify_native(&other_salt, "secret", &good),
            "a replayed scramble fails"
        );
    }
}
