//! SHA-1, only to check `mysql_native_password` scrambles. Written out here
//! because no SHA-1 crate is a direct dependency and the check is 60 lines.

pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for chunk in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, b) in chunk.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// `SHA1(password) XOR SHA1(salt + SHA1(SHA1(password)))`: what the client sends.
pub fn scramble_native(salt: &[u8], password: &[u8]) -> [u8; 20] {
    let stage1 = sha1(password);
    let stage2 = sha1(&stage1);
    let mut buf = salt.to_vec();
    buf.extend_from_slice(&stage2);
    let mix = sha1(&buf);
    let mut out = [0u8; 20];
    for i in 0..20 {
        out[i] = stage1[i] ^ mix[i];
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

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn known_vectors() {
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        let long = vec![b'a'; 1000];
        assert_eq!(
            hex(&sha1(&long)),
            "291e9a6c66994949b57ba5e650361e98fc36b1ba"
        );
    }

    #[test]
    fn verify_rejects_wrong_password() {
        let salt = [7u8; 20];
        let good = scramble_native(&salt, b"secret");
        assert!(verify_native(&salt, "secret", &good));
        assert!(!verify_native(&salt, "other", &good));
        assert!(verify_native(&salt, "", &[]));
        assert!(!verify_native(&salt, "", &good));
    }
}
