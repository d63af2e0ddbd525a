//! Encryption at rest for cluster passwords (AES-256-GCM).

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use anyhow::{anyhow, bail, Context};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use std::fmt;
use std::io::Write;
use std::path::Path;

const NONCE_LEN: usize = 12;
/// Binds ciphertexts to their purpose, so a blob cannot be replayed as another kind of secret.
const AAD: &[u8] = b"starrocks-overview/cluster-password/v1";

/// The key that seals cluster passwords. Its `Debug` never prints the key.
#[derive(Clone)]
pub struct SecretBox {
    cipher: Aes256Gcm,
}

impl fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

impl SecretBox {
    pub fn from_key(key: &[u8; 32]) -> Self {
        Self {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key)),
        }
    }

    /// Loads the base64 key from `path`, or creates it (mode 0600) when the file
    /// is missing and no secret sealed with a previous key is stored
    /// (`sealed_secrets`, the number of stored cluster passwords). A missing key
    /// with stored passwords is an error that says where the key belongs: a new
    /// key would make every stored password unreadable, silently. Answers the
    /// box and whether the key was created now.
    pub fn load_or_create(path: &Path, sealed_secrets: i64) -> anyhow::Result<(Self, bool)> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let bytes = B64
                    .decode(text.trim())
                    .with_context(|| format!("the secret key {} is not base64", path.display()))?;
                let len = bytes.len();
                let key: [u8; 32] = bytes.try_into().map_err(|_| {
                    anyhow!(
                        "the secret key {} must be 32 bytes, found {len}",
                        path.display()
                    )
                })?;
                Ok((Self::from_key(&key), false))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if sealed_secrets > 0 {
                    bail!(
                        "the secret key {} is missing, but {sealed_secrets} stored cluster \
                         password(s) were sealed with it: put the key file back there (or name \
                         it with --secret-key-file); a new key could not read them",
                        path.display()
                    );
                }
                let key: [u8; 32] = Aes256Gcm::generate_key(&mut OsRng).into();
                write_new_key_file(path, &B64.encode(key))
                    .with_context(|| format!("cannot create the secret key {}", path.display()))?;
                tracing::info!(path = %path.display(), "created a new secret key for cluster passwords; back it up");
                Ok((Self::from_key(&key), true))
            }
            Err(e) => {
                Err(e).with_context(|| format!("cannot read the secret key {}", path.display()))
            }
        }
    }

    /// nonce || ciphertext+tag. A fresh random nonce per call.
    pub fn seal(&self, plaintext: &str) -> Result<Vec<u8>, String> {
        self.seal_for(AAD, plaintext)
    }

    /// Fails (without detail) on a wrong key or a tampered blob.
    pub fn open(&self, blob: &[u8]) -> Result<String, String> {
        self.open_for(AAD, blob)
    }

    /// Seals a secret of another purpose (a notification channel's
    /// destination): a blob sealed for one purpose does not open as another.
    pub fn seal_for(&self, purpose: &[u8], plaintext: &str) -> Result<Vec<u8>, String> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ct = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: purpose,
                },
            )
            .map_err(|_| "encryption failed".to_string())?;
        let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Opens what [`SecretBox::seal_for`] sealed for the same purpose.
    pub fn open_for(&self, purpose: &[u8], blob: &[u8]) -> Result<String, String> {
        if blob.len() < NONCE_LEN {
            return Err("stored secret is too short".into());
        }
        let (nonce, ct) = blob.split_at(NONCE_LEN);
        let pt = self
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: purpose,
                },
            )
            .map_err(|_| "stored secret cannot be decrypted with this key".to_string())?;
        String::from_utf8(pt).map_err(|_| "stored secret is not text".to_string())
    }
}

fn write_new_key_file(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open_round_trip_without_plaintext() {
        let sb = SecretBox::from_key(&[7u8; 32]);
        let blob = sb.seal("s3cret-pa55").expect("seal");
        assert!(!blob.windows(11).any(|w| w == b"s3cret-pa55"));
        assert_eq!(sb.open(&blob).expect("open"), "s3cret-pa55");
        assert_ne!(
            blob,
            sb.seal("s3cret-pa55").expect("seal again"),
            "nonce must differ"
        );
    }

    #[test]
    fn wrong_key_or_tampering_fails() {
        let blob = SecretBox::from_key(&[1u8; 32]).seal("x").expect("seal");
        assert!(SecretBox::from_key(&[2u8; 32]).open(&blob).is_err());
        let mut bad = blob.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(SecretBox::from_key(&[1u8; 32]).open(&bad).is_err());
        assert!(SecretBox::from_key(&[1u8; 32]).open(&[1, 2]).is_err());
    }

    #[test]
    fn key_file_is_created_private_and_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub/secret.key");
        let (a, created) = SecretBox::load_or_create(&path, 0).expect("create");
        assert!(created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (b, created) = SecretBox::load_or_create(&path, 1).expect("reload");
        assert!(!created);
        assert_eq!(b.open(&a.seal("pw").expect("seal")).expect("open"), "pw");
    }

    #[test]
    fn a_bad_key_file_is_an_error_not_a_new_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("secret.key");
        std::fs::write(&path, "dG9vIHNob3J0").expect("write");
        let err = SecretBox::load_or_create(&path, 0).expect_err("short key");
        let err = format!("{err:#}");
        assert!(err.contains("32 bytes"), "{err}");
    }

    #[test]
    fn a_missing_key_with_stored_passwords_refuses_to_start() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("secret.key");
        let err = SecretBox::load_or_create(&path, 2).expect_err("must refuse");
        let err = format!("{err:#}");
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains("2 stored cluster password(s)"), "{err}");
        assert!(!path.exists(), "no new key may be written");
    }
}
