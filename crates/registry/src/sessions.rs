//! Sessions of the console: signing in and out, and who a session belongs to.
//! The guard that decides which paths need a session is the server's
//! (`starrocks_overview::auth`); this is what it and the server functions share.

use crate::users::UserService;
use crate::AppError;
use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use model::UserInfo;
use std::net::{IpAddr, SocketAddr};
use tower_sessions::Session;

const USER_ID_KEY: &str = "user_id";
/// The user's session epoch when this session signed in; sessions from before
/// this key existed count as epoch 0, the column's default.
const EPOCH_KEY: &str = "session_epoch";

fn store_error(e: tower_sessions::session::Error) -> AppError {
    AppError::internal(format!("session store: {e}"))
}

/// The signed-in user, if the session names one that still exists and has not
/// changed their password since this session signed in (else it is ended).
pub async fn session_user(
    users: &UserService,
    session: &Session,
) -> Result<Option<UserInfo>, AppError> {
    let Some(id) = session.get::<i64>(USER_ID_KEY).await.map_err(store_error)? else {
        return Ok(None);
    };
    let signed_in_epoch = session
        .get::<i64>(EPOCH_KEY)
        .await
        .map_err(store_error)?
        .unwrap_or(0);
    match users.get_with_epoch(id).await? {
        Some((user, epoch)) if epoch == signed_in_epoch => Ok(Some(user)),
        Some((user, _)) => {
            tracing::info!(user = %user.username, "a session from before a password change ended");
            sign_out(session).await?;
            Ok(None)
        }
        None => Ok(None),
    }
}

/// Starts a fresh session for `user` (a new id, so a planted one is useless),
/// under the user's current session epoch.
pub async fn sign_in(
    users: &UserService,
    session: &Session,
    user: &UserInfo,
) -> Result<(), AppError> {
    let epoch = users
        .get_with_epoch(user.id)
        .await?
        .map_or(0, |(_, epoch)| epoch);
    session.cycle_id().await.map_err(store_error)?;
    session
        .insert(USER_ID_KEY, user.id)
        .await
        .map_err(store_error)?;
    session.insert(EPOCH_KEY, epoch).await.map_err(store_error)
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(store_error)
}

/// The peer address, for throttling. Tests that call the router directly have none.
/// Behind a reverse proxy this is the proxy's address: see [`client_addr_behind`].
pub fn client_addr(extensions: &Extensions) -> String {
    peer_ip(extensions).map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
}

/// The client address, for throttling, believing `X-Forwarded-For` only from
/// a trusted proxy: when the direct peer is in `trusted`, the right-most
/// address of `X-Forwarded-For` (all such headers, in order) that is not
/// itself trusted; when every hop listed is trusted, the left-most one. An
/// entry that is not an address stops the walk at the last trusted hop.
/// Without a trusted peer the header is ignored and this is [`client_addr`].
pub fn client_addr_behind(
    extensions: &Extensions,
    headers: &HeaderMap,
    trusted: &TrustedProxies,
) -> String {
    client_ip(peer_ip(extensions), headers, trusted)
        .map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
}

fn peer_ip(extensions: &Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_canonical())
}

/// The logic of [`client_addr_behind`], from the peer's address.
pub fn client_ip(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &TrustedProxies,
) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    if !trusted.contains(peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = headers
        .get_all(X_FORWARDED_FOR)
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("").split(','))
        .map(str::trim)
        .collect();
    let mut nearest = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            break;
        };
        if !trusted.contains(ip) {
            return Some(ip);
        }
        nearest = ip;
    }
    Some(nearest)
}

const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// One `X-Forwarded-For` entry: an address, also with a port (`1.2.3.4:80`,
/// `[2001:db8::1]:80`) or in brackets, as some proxies write it.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Ok(sa) = hop.parse::<SocketAddr>() {
        return Some(sa.ip().to_canonical());
    }
    hop.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .and_then(|h| h.parse::<IpAddr>().ok())
        .map(|ip| ip.to_canonical())
}

/// The reverse proxies whose `X-Forwarded-For` is believed: a list of
/// address ranges, parsed from text like `10.0.0.0/8, 192.168.1.5, fd00::/8`
/// (a bare address is a single host). Empty: no proxy is trusted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    ranges: Vec<IpRange>,
}

/// One CIDR range; the address is kept with its host bits cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                mask_v4(u32::from(ip), self.prefix) == u32::from(net)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                mask_v6(u128::from(ip), self.prefix) == u128::from(net)
            }
            _ => false,
        }
    }
}

/// `bits` with all but the first `prefix` bits cleared (`prefix` at most 32).
fn mask_v4(bits: u32, prefix: u8) -> u32 {
    match u32::MAX.checked_shl(32 - u32::from(prefix)) {
        Some(mask) => bits & mask,
        None => 0,
    }
}

/// `bits` with all but the first `prefix` bits cleared (`prefix` at most 128).
fn mask_v6(bits: u128, prefix: u8) -> u128 {
    match u128::MAX.checked_shl(128 - u32::from(prefix)) {
        Some(mask) => bits & mask,
        None => 0,
    }
}

impl std::str::FromStr for IpRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a.trim(), Some(p.trim())),
            None => (s, None),
        };
        let ip: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{s}` is not an IP address or CIDR range"))?;
        let ip = ip.to_canonical();
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max && p.bytes().all(|b| b.is_ascii_digit()) => n,
                _ => return Err(format!("`{s}`: the prefix length must be 0 to {max}")),
            },
        };
        let network = match ip {
            IpAddr::V4(v4) => IpAddr::V4(mask_v4(u32::from(v4), prefix).into()),
            IpAddr::V6(v6) => IpAddr::V6(mask_v6(u128::from(v6), prefix).into()),
        };
        Ok(IpRange { network, prefix })
    }
}

impl std::fmt::Display for IpRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl TrustedProxies {
    /// Parses a comma-separated list (empty items are skipped); the error
    /// names the first item that is not an address or range.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<IpRange>, _>>()
            .map(|ranges| TrustedProxies { ranges })
    }

    /// Trusts no proxy: `X-Forwarded-For` is never believed.
    pub fn none() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn ranges(&self) -> &[IpRange] {
        &self.ranges
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.ranges.iter().any(|r| r.contains(ip))
    }
}

impl std::str::FromStr for TrustedProxies {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(X_FORWARDED_FOR, HeaderValue::from_str(v).expect("value"));
        }
        h
    }

    #[test]
    fn trusted_proxies_parse_ranges_and_hosts() {
        let t = TrustedProxies::parse(" 10.0.0.0/8, 192.168.1.5 ,fd00::/8,,").expect("parses");
        let shown: Vec<String> = t.ranges().iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.168.1.5/32", "fd00::/8"]);
        assert!(t.contains(ip("10.255.0.1")));
        assert!(
            t.contains(ip("::ffff:10.1.2.3")),
            "IPv4-mapped IPv6 counts as IPv4"
        );
        assert!(t.contains(ip("192.168.1.5")));
        assert!(!t.contains(ip("192.168.1.6")));
        assert!(t.contains(ip("fd12::1")));
        assert!(!t.contains(ip("fe80::1")));
        assert!(!t.contains(ip("11.0.0.1")));
        // Host bits are cleared; /0 is everything of its family.
        let t: TrustedProxies = "10.1.2.3/16, 0.0.0.0/0".parse().expect("parses");
        assert_eq!(t.ranges()[0].to_string(), "10.1.0.0/16");
        assert!(t.contains(ip("203.0.113.1")));
        assert!(!t.contains(ip("2001:db8::1")));
        assert!(TrustedProxies::parse("").expect("empty").is_empty());
        assert!(!TrustedProxies::none().contains(ip("127.0.0.1")));
    }

    #[test]
    fn trusted_proxies_reject_what_is_not_a_range() {
        for bad in [
            "10.0.0.0/33",
            "fd00::/129",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "10.0.0.0/+8",
            "10.0.0/8",
            "localhost",
            "10.0.0.1, nonsense",
            "10.0.0.0/8/8",
            "fe80::1%eth0",
        ] {
            let e = TrustedProxies::parse(bad).expect_err(bad);
            assert!(e.contains('`'), "{bad}: {e}");
        }
    }

    #[test]
    fn forwarded_for_is_ignored_from_an_untrusted_peer() {
        let trusted = TrustedProxies::parse("10.0.0.0/8").expect("parses");
        let h = xff(&["198.51.100.1"]);
        assert_eq!(
            client_ip(Some(ip("203.0.113.9")), &h, &trusted),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(
            client_ip(Some(ip("10.0.0.2")), &h, &TrustedProxies::none()),
            Some(ip("10.0.0.2")),
            "nothing trusted, nothing believed"
        );
        assert_eq!(client_ip(None, &h, &trusted), None);
    }

    #[test]
    fn forwarded_for_gives_the_right_most_untrusted_hop() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 192.168.1.5").expect("parses");
        let proxy = Some(ip("10.0.0.2"));
        // The client put a made-up address first; our proxies appended the real one.
        let h = xff(&["1.1.1.1, 198.51.100.7, 192.168.1.5"]);
        assert_eq!(client_ip(proxy, &h, &trusted), Some(ip("198.51.100.7")));
        // The same, over several headers.
        let h = xff(&["1.1.1.1", "198.51.100.7", "192.168.1.5"]);
        assert_eq!(client_ip(proxy, &h, &trusted), Some(ip("198.51.100.7")));
        // Ports and brackets, as some proxies write them.
        let h = xff(&["[2001:db8::7]:4711"]);
        assert_eq!(client_ip(proxy, &h, &trusted), Some(ip("2001:db8::7")));
        let h = xff(&["198.51.100.8:4711"]);
        assert_eq!(client_ip(proxy, &h, &trusted), Some(ip("198.51.100.8")));
        let h = xff(&["[2001:db8::9]"]);
        assert_eq!(client_ip(proxy, &h, &trusted), Some(ip("2001:db8::9")));
        // An IPv4-mapped client is the IPv4 address.
        let h = xff(&["::ffff:198.51.100.10"]);
        assert_eq!(client_ip(proxy, &h, &trusted), Some(ip("198.51.100.10")));
    }

    #[test]
    fn forwarded_for_without_an_untrusted_hop_stops_at_the_last_trusted_one() {
        let trusted = TrustedProxies::parse("10.0.0.0/8").expect("parses");
        let proxy = Some(ip("10.0.0.2"));
        assert_eq!(
            client_ip(proxy, &HeaderMap::new(), &trusted),
            proxy,
            "no header"
        );
        let h = xff(&["10.9.9.9, 10.0.0.3"]);
        assert_eq!(client_ip(proxy, &h, &trusted), Some(ip("10.9.9.9")));
        // Garbage is not skipped to reach what the client wrote before it.
        let h = xff(&["198.51.100.1, garbage, 10.0.0.3"]);
        assert_eq!(client_ip(proxy, &h, &trusted), Some(ip("10.0.0.3")));
        let h = xff(&[""]);
        assert_eq!(client_ip(proxy, &h, &trusted), proxy);
    }

    #[test]
    fn client_addr_reads_the_connection() {
        let mut ext = Extensions::new();
        assert_eq!(client_addr(&ext), "unknown");
        let trusted = TrustedProxies::parse("10.0.0.0/8").expect("parses");
        let h = xff(&["198.51.100.1"]);
        assert_eq!(client_addr_behind(&ext, &h, &trusted), "unknown");
        ext.insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 2], 5555))));
        assert_eq!(client_addr(&ext), "10.0.0.2");
        assert_eq!(client_addr_behind(&ext, &h, &trusted), "198.51.100.1");
        assert_eq!(
            client_addr_behind(&ext, &h, &TrustedProxies::none()),
            "10.0.0.2"
        );
        let mut ext = Extensions::new();
        let mapped: SocketAddr = "[::ffff:10.0.0.2]:5555".parse().expect("addr");
        ext.insert(ConnectInfo(mapped));
        assert_eq!(
            client_addr(&ext),
            "10.0.0.2",
            "a dual-stack socket's IPv4 peer"
        );
        assert_eq!(client_addr_behind(&ext, &h, &trusted), "198.51.100.1");
    }
}
