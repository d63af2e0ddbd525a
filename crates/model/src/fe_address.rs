//! More FE addresses of one cluster: the ones the console fails over to when
//! the first (the registration's host and ports) does not answer.
//!
//! The form takes them as text, one address a line, `host`, `host:http_port`
//! or `host:http_port:query_port` (an IPv6 address in brackets), the missing
//! ports being the first address's. The `clusters.extra_fes` column stores
//! them in the same form, always with both ports.

use super::cluster::{check_host, host_for_url};
use serde::{Deserialize, Serialize};

/// The most addresses after the first (a VIP plus a handful of FEs is typical).
pub const MAX_EXTRA_FES: usize = 9;

/// One FE address: where its HTTP and MySQL ports answer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FeAddress {
    pub host: String,
    pub http_port: u16,
    pub query_port: u16,
}

impl FeAddress {
    /// `host:http_port:query_port`, IPv6 in brackets: a line of the form and
    /// of the stored column.
    pub fn to_line(&self) -> String {
        format!(
            "{}:{}:{}",
            host_for_url(&self.host),
            self.http_port,
            self.query_port
        )
    }

    /// `host:http_port`, as the overview names the address that answered.
    pub fn http_authority(&self) -> String {
        format!("{}:{}", host_for_url(&self.host), self.http_port)
    }

    /// `host:query_port`, the MySQL side.
    pub fn query_authority(&self) -> String {
        format!("{}:{}", host_for_url(&self.host), self.query_port)
    }

    /// The same address, case aside (host names are case-insensitive).
    pub fn same_as(&self, other: &FeAddress) -> bool {
        self.host.eq_ignore_ascii_case(&other.host)
            && self.http_port == other.http_port
            && self.query_port == other.query_port
    }

    /// One line of the form; `defaults` are the first address's ports.
    pub fn parse_line(line: &str, defaults: (u16, u16)) -> Result<Self, String> {
        let line = line.trim();
        // A scheme, a path or spaces: the host check names what to remove.
        if line.contains("://") || line.contains(['/', '?', '#', ' ', '\t']) {
            check_host(line)?;
        }
        let (host, ports) = split_host(line)?;
        check_host(host)?;
        let mut parts = ports.map(|p| p.split(':')).into_iter().flatten();
        let http_port = port(parts.next(), defaults.0, Which::Http)?;
        let query_port = port(parts.next(), defaults.1, Which::Query)?;
        if parts.next().is_some() {
            return Err(i18n::say!(forms.fe_line_shape));
        }
        Ok(Self {
            host: host.to_string(),
            http_port,
            query_port,
        })
    }
}

/// The host and what follows it after a colon; an IPv6 host is in brackets.
fn split_host(line: &str) -> Result<(&str, Option<&str>), String> {
    if let Some(rest) = line.strip_prefix('[') {
        let Some(end) = rest.find(']') else {
            return Err(i18n::say!(forms.fe_ipv6_unclosed));
        };
        let (host, after) = (&line[..end + 2], &rest[end + 1..]);
        return match after.strip_prefix(':') {
            Some(ports) => Ok((host, Some(ports))),
            None if after.is_empty() => Ok((host, None)),
            None => Err(i18n::say!(forms.fe_ports_after_address)),
        };
    }
    if line.parse::<std::net::Ipv6Addr>().is_ok() {
        return Err(i18n::say!(forms.fe_ipv6_in_brackets));
    }
    if line.matches(':').count() > 2 {
        return Err(i18n::say!(forms.fe_line_shape));
    }
    Ok(match line.split_once(':') {
        Some((host, ports)) => (host, Some(ports)),
        None => (line, None),
    })
}

/// Which of an address's two ports, for the message.
#[derive(Clone, Copy)]
enum Which {
    Http,
    Query,
}

fn port(text: Option<&str>, default: u16, which: Which) -> Result<u16, String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(default);
    };
    match text.parse::<u32>() {
        Ok(p) if (1..=65535).contains(&p) => u16::try_from(p).map_err(|e| e.to_string()),
        _ => Err(match which {
            Which::Http => i18n::say!(forms.fe_http_port),
            Which::Query => i18n::say!(forms.fe_query_port),
        }),
    }
}

/// The form's text: one address a line, blank lines ignored. A message names
/// the first wrong line; an address given twice, or equal to the first, is
/// refused too, so the order the console tries them in is what was typed.
pub fn parse_extra_fes(text: &str, first: &FeAddress) -> Result<Vec<FeAddress>, String> {
    let mut out: Vec<FeAddress> = Vec::new();
    let lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    for (i, line) in lines {
        let addr = FeAddress::parse_line(line, (first.http_port, first.query_port))
            .map_err(|e| i18n::say!(forms.fe_line, n = i + 1, problem = e))?;
        if addr.same_as(first) || out.iter().any(|a| a.same_as(&addr)) {
            return Err(i18n::say!(
                forms.fe_listed_twice,
                n = i + 1,
                address = addr.to_line()
            ));
        }
        out.push(addr);
        if out.len() > MAX_EXTRA_FES {
            return Err(i18n::say!(forms.fe_too_many, max = MAX_EXTRA_FES));
        }
    }
    Ok(out)
}

/// The stored or shown text of a list: one `host:http:query` a line.
pub fn extra_fes_text(list: &[FeAddress]) -> String {
    list.iter()
        .map(FeAddress::to_line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The stored column back into addresses; lines that no longer parse (the
/// rules only ever get stricter) are dropped rather than failing the cluster.
pub fn stored_extra_fes(raw: &str, first: &FeAddress) -> Vec<FeAddress> {
    raw.lines()
        .filter_map(|l| FeAddress::parse_line(l, (first.http_port, first.query_port)).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first() -> FeAddress {
        FeAddress {
            host: "fe-vip".into(),
            http_port: 8030,
            query_port: 9030,
        }
    }

    #[test]
    fn lines_take_the_first_address_ports_when_left_out() {
        let list = parse_extra_fes(
            "fe1\n\n fe2:18030 \n10.0.0.3:8031:9031\n[::1]:8030:19030\n[fe80::2]",
            &first(),
        )
        .expect("valid");
        let lines: Vec<String> = list.iter().map(FeAddress::to_line).collect();
        assert_eq!(
            lines,
            [
                "fe1:8030:9030",
                "fe2:18030:9030",
                "10.0.0.3:8031:9031",
                "[::1]:8030:19030",
                "[fe80::2]:8030:9030"
            ]
        );
        assert_eq!(stored_extra_fes(&extra_fes_text(&list), &first()), list);
    }

    #[test]
    fn several_fe_addresses_wrong_lines_are_named() {
        for (text, hint) in [
            ("fe1\nhttp://fe2", "Line 2: Enter the host only"),
            ("fe1:80:90:100", "Line 1: Write host"),
            ("fe1:abc", "Line 1: The HTTP port"),
            ("fe1:8030:0", "Line 1: The query port"),
            ("fe1/x", "Line 1: Enter the host only, without a path"),
            ("::1", "Line 1: Write an IPv6 address in brackets"),
            ("[::1", "closing bracket"),
            (
                "fe1\nFE1:8030:9030",
                "Line 2: FE1:8030:9030 is already listed",
            ),
            ("fe-vip", "Line 1: fe-vip:8030:9030 is already listed"),
        ] {
            let e = parse_extra_fes(text, &first()).expect_err(text);
            assert!(e.contains(hint), "{text}: {e}");
        }
        let many: String = (0..10).map(|i| format!("fe{i}\n")).collect();
        assert!(parse_extra_fes(&many, &first())
            .expect_err("ten")
            .contains("at most 9"));
    }
}
