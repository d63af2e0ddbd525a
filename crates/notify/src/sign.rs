//! The chat robots' signatures.
//!
//! Both services sign with HMAC-SHA256 over the timestamp and the secret, but
//! they put the pieces in different places: DingTalk keys the MAC with the
//! secret and signs "timestamp\nsecret"; Feishu keys it with
//! "timestamp\nsecret" and signs nothing. Getting that backwards is the usual
//! cause of "sign not match", hence the fixed vectors in the tests.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this never fails; the fallback only
    // keeps a panic out of the sender should the crate ever change that.
    match HmacSha256::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// DingTalk's `sign` query parameter for a robot with "加签" (signing) on,
/// already URL-encoded: base64 has `+`, `/` and `=`, which a query would
/// otherwise read as a space and separators.
pub fn dingtalk(secret: &str, timestamp_ms: i64) -> String {
    let to_sign = format!("{timestamp_ms}\n{secret}");
    let mac = hmac_sha256(secret.as_bytes(), to_sign.as_bytes());
    utf8_percent_encode(&STANDARD.encode(mac), NON_ALPHANUMERIC).to_string()
}

/// The robot's URL with `timestamp` and `sign` appended. DingTalk refuses a
/// timestamp more than an hour from its clock, so the sender signs at each
/// attempt rather than once per notice.
pub fn dingtalk_url(url: &str, secret: &str, timestamp_ms: i64) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!(
        "{url}{sep}timestamp={timestamp_ms}&sign={}",
        dingtalk(secret, timestamp_ms)
    )
}

/// Feishu's `sign` body field for a bot with signature verification on
/// (plain base64: it travels in JSON, not in a URL).
pub fn feishu(secret: &str, timestamp_s: i64) -> String {
    let key = format!("{timestamp_s}\n{secret}");
    STANDARD.encode(hmac_sha256(key.as_bytes(), b""))
}

#[cfg(test)]
mod tests {
    use super::*;

    // python3 -c 'import hmac,hashlib,base64,urllib.parse;
    //   s="SEC0123456789abcdef"; t=1765135805000;
    //   b=base64.b64encode(hmac.new(s.encode(), f"{t}\n{s}".encode(), hashlib.sha256).digest());
    //   print(urllib.parse.quote_plus(b))'
    // (DingTalk's own Python sample.) This timestamp was picked because its
    // signature has all of '+', '/' and '='.
    const DING_SECRET: &str = "SEC0123456789abcdef";
    const DING_TS: i64 = 1_765_135_805_000;
    const DING_SIGN: &str = "al1dFyk%2Bo4Ofg3Z1lg27onA1ufW4uf%2FGfoka2yRfnl4%3D";

    #[test]
    fn dingtalk_matches_the_documented_algorithm() {
        assert_eq!(dingtalk(DING_SECRET, DING_TS), DING_SIGN);
    }

    #[test]
    fn dingtalk_second_vector() {
        // Same python as above with t=1765135805123.
        assert_eq!(
            dingtalk(DING_SECRET, 1_765_135_805_123),
            "DXxNf%2FA74W7IvSQipU%2FgtL0Cix8qlVaxW%2Fs6lzL5FYE%3D"
        );
    }

    #[test]
    fn dingtalk_url_appends_to_an_existing_query() {
        let url = dingtalk_url(
            "https://oapi.dingtalk.com/robot/send?access_token=abc",
            DING_SECRET,
            DING_TS,
        );
        assert_eq!(
            url,
            format!(
                "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp={DING_TS}&sign={DING_SIGN}"
            )
        );
    }

    #[test]
    fn dingtalk_url_starts_a_query_when_there_is_none() {
        let url = dingtalk_url("http://127.0.0.1:9/robot", DING_SECRET, DING_TS);
        assert_eq!(
            url,
            format!("http://127.0.0.1:9/robot?timestamp={DING_TS}&sign={DING_SIGN}")
        );
    }

    #[test]
    fn feishu_keys_the_mac_with_timestamp_and_secret() {
        // python3 -c 'import hmac,hashlib,base64; s="feishu-secret"; t=1765135805;
        //   print(base64.b64encode(hmac.new(f"{t}\n{s}".encode(), b"", hashlib.sha256).digest()).decode())'
        // (Feishu's own Python sample: the key is "timestamp\nsecret", the message empty.)
        assert_eq!(
            feishu("feishu-secret", 1_765_135_805),
            "pTK+0uHP4nj53fTymkWujnXRDpBx6TsgmEVNiAdDUFk="
        );
    }

    #[test]
    fn signatures_change_with_the_timestamp() {
        assert_ne!(dingtalk("s", 1), dingtalk("s", 2));
        assert_ne!(feishu("s", 1), feishu("s", 2));
    }
}
