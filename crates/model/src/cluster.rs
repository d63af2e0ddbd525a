//! A registered StarRocks cluster: what the form sends, what is valid, what is shown.

use super::fe_address::{extra_fes_text, parse_extra_fes, FeAddress};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const DEFAULT_HTTP_PORT: u16 = 8030;
pub const DEFAULT_QUERY_PORT: u16 = 9030;
pub const MAX_NAME_LEN: usize = 64;
pub const MAX_HOST_LEN: usize = 253;
pub const MAX_USERNAME_LEN: usize = 64;
pub const MAX_CLUSTER_PASSWORD_LEN: usize = 256;
pub const MAX_DESCRIPTION_LEN: usize = 500;
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_LEN: usize = 32;

/// A registered cluster as the pages and the API show it. The password is never
/// part of it; `has_password` tells whether one is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Cluster {
    pub id: i64,
    pub name: String,
    pub fe_host: String,
    pub http_port: u16,
    pub query_port: u16,
    pub username: String,
    pub has_password: bool,
    pub use_https: bool,
    /// More FE addresses, tried in order when the first does not answer.
    #[serde(default)]
    pub extra_fes: Vec<FeAddress>,
    pub description: String,
    pub tags: Vec<String>,
    /// UTC unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl Cluster {
    /// The FE HTTP address, for display.
    pub fn http_url(&self) -> String {
        fe_http_url(self.use_https, &self.fe_host, self.http_port)
    }

    /// Every FE address in the order the console tries them: the first, then
    /// the extra ones.
    pub fn fe_addresses(&self) -> Vec<FeAddress> {
        with_extra(self.first_fe(), &self.extra_fes)
    }

    /// The first FE address.
    pub fn first_fe(&self) -> FeAddress {
        FeAddress {
            host: self.fe_host.clone(),
            http_port: self.http_port,
            query_port: self.query_port,
        }
    }
}

/// The first address and the extra ones, in order.
fn with_extra(first: FeAddress, extra: &[FeAddress]) -> Vec<FeAddress> {
    std::iter::once(first)
        .chain(extra.iter().cloned())
        .collect()
}

/// The FE HTTP address of a registration, e.g. `http://fe1:8030`.
pub fn fe_http_url(use_https: bool, host: &str, http_port: impl std::fmt::Display) -> String {
    let scheme = if use_https { "https" } else { "http" };
    format!("{scheme}://{}:{http_port}", host_for_url(host))
}

/// The tags of a registration as the `clusters.tags` column stores them,
/// separated by commas.
pub fn stored_tags(raw: &str) -> Vec<String> {
    raw.split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// A host as it stands in a URL: IPv6 addresses in brackets.
pub fn host_for_url(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// The cluster form as typed: every field as text, so that "abc" in a port
/// field becomes a message next to that field rather than a decoding error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClusterDraft {
    pub name: String,
    pub fe_host: String,
    pub http_port: String,
    pub query_port: String,
    pub username: String,
    /// `None` keeps the stored password (edit) or stores an empty one (create).
    pub password: Option<String>,
    pub use_https: bool,
    /// More FE addresses, one a line: `host[:http_port[:query_port]]`.
    #[serde(default)]
    pub extra_fes: String,
    pub description: String,
    /// Comma-separated.
    pub tags: String,
}

/// The cluster form as the browser posts it (`cluster[name]=...`): text as
/// typed, checkboxes present only when ticked.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClusterFormData {
    pub name: String,
    pub fe_host: String,
    pub http_port: String,
    pub query_port: String,
    pub username: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub clear_password: Option<String>,
    #[serde(default)]
    pub use_https: Option<String>,
    #[serde(default)]
    pub extra_fes: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: String,
}

impl ClusterFormData {
    /// On edit an empty password keeps the stored one unless "remove" is ticked;
    /// on create it means no password.
    pub fn into_draft(self, editing: bool) -> ClusterDraft {
        let password = if !self.password.is_empty() {
            Some(self.password)
        } else if self.clear_password.is_some() || !editing {
            Some(String::new())
        } else {
            None
        };
        ClusterDraft {
            name: self.name,
            fe_host: self.fe_host,
            http_port: self.http_port,
            query_port: self.query_port,
            username: self.username,
            password,
            use_https: self.use_https.is_some(),
            extra_fes: self.extra_fes,
            description: self.description,
            tags: self.tags,
        }
    }
}

/// A draft that passed validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCluster {
    pub name: String,
    pub fe_host: String,
    pub http_port: u16,
    pub query_port: u16,
    pub username: String,
    pub password: Option<String>,
    pub use_https: bool,
    pub extra_fes: Vec<FeAddress>,
    pub description: String,
    pub tags: Vec<String>,
}

impl ValidCluster {
    /// The first FE address.
    pub fn first_fe(&self) -> FeAddress {
        FeAddress {
            host: self.fe_host.clone(),
            http_port: self.http_port,
            query_port: self.query_port,
        }
    }

    /// Every FE address in the order the console tries them.
    pub fn fe_addresses(&self) -> Vec<FeAddress> {
        with_extra(self.first_fe(), &self.extra_fes)
    }

    /// Whether this would send the credentials somewhere else than `stored`
    /// sends them: another host or port (an FE address that was not
    /// registered before), scheme or user. A stored password then has to be
    /// entered again, or it would go to a target of the editor's choosing.
    /// Dropping or reordering addresses is no new target.
    pub fn changes_target_of(&self, stored: &Cluster) -> bool {
        let known = stored.fe_addresses();
        self.fe_addresses()
            .iter()
            .any(|a| !known.iter().any(|k| k.same_as(a)))
            || self.use_https != stored.use_https
            || self.username != stored.username
    }
}

/// The field message when a stored password would follow the cluster to a
/// new target, in the language of the request being served.
pub fn password_again() -> String {
    i18n::say!(forms.password_again)
}

/// Messages keyed by form field (the JSON name of the field).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut e = Self::default();
        e.add(field, message);
        e
    }
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// One line for logs and API messages: "name: ...; http_port: ...".
    pub fn summary(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl ClusterDraft {
    /// A new-cluster form with StarRocks' defaults filled in.
    pub fn with_defaults() -> Self {
        Self {
            http_port: DEFAULT_HTTP_PORT.to_string(),
            query_port: DEFAULT_QUERY_PORT.to_string(),
            username: "root".into(),
            ..Self::default()
        }
    }

    /// The edit form for an existing cluster: the password stays empty.
    pub fn from_cluster(c: &Cluster) -> Self {
        Self {
            name: c.name.clone(),
            fe_host: c.fe_host.clone(),
            http_port: c.http_port.to_string(),
            query_port: c.query_port.to_string(),
            username: c.username.clone(),
            password: None,
            use_https: c.use_https,
            extra_fes: extra_fes_text(&c.extra_fes),
            description: c.description.clone(),
            tags: c.tags.join(", "),
        }
    }

    /// Checks every field and reports all problems at once.
    pub fn validate(&self) -> Result<ValidCluster, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.name.trim();
        check_text(&mut errors, "name", name, MAX_NAME_LEN, true);
        let fe_host = self.fe_host.trim();
        if let Err(msg) = check_host(fe_host) {
            errors.add("fe_host", msg);
        }
        let http_port = parse_port(&mut errors, "http_port", &self.http_port);
        let query_port = parse_port(&mut errors, "query_port", &self.query_port);
        let username = self.username.trim();
        check_text(&mut errors, "username", username, MAX_USERNAME_LEN, true);
        if let Some(p) = &self.password {
            if p.chars().count() > MAX_CLUSTER_PASSWORD_LEN {
                errors.add(
                    "password",
                    i18n::say!(forms.too_long, max = MAX_CLUSTER_PASSWORD_LEN),
                );
            }
        }
        let description = self.description.trim();
        if description.chars().count() > MAX_DESCRIPTION_LEN {
            errors.add(
                "description",
                i18n::say!(forms.too_long, max = MAX_DESCRIPTION_LEN),
            );
        }
        let tags = match parse_tags(&self.tags) {
            Ok(t) => t,
            Err(msg) => {
                errors.add("tags", msg);
                Vec::new()
            }
        };
        let first = FeAddress {
            host: fe_host.to_string(),
            http_port: http_port.unwrap_or(DEFAULT_HTTP_PORT),
            query_port: query_port.unwrap_or(DEFAULT_QUERY_PORT),
        };
        let extra_fes = parse_extra_fes(&self.extra_fes, &first).unwrap_or_else(|msg| {
            errors.add("extra_fes", msg);
            Vec::new()
        });
        match (http_port, query_port) {
            (Some(http_port), Some(query_port)) if errors.is_empty() => Ok(ValidCluster {
                name: name.to_string(),
                fe_host: fe_host.to_string(),
                http_port,
                query_port,
                username: username.to_string(),
                password: self.password.clone(),
                use_https: self.use_https,
                extra_fes,
                description: description.to_string(),
                tags,
            }),
            _ => Err(errors),
        }
    }
}

/// A text field's checks: required, at most `max` characters, no control
/// characters (also the notification channels' forms).
pub fn check_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize, required: bool) {
    if required && value.is_empty() {
        errors.add(field, i18n::say!(forms.required));
    } else if value.chars().count() > max {
        errors.add(field, i18n::say!(forms.too_long, max = max));
    } else if value.chars().any(char::is_control) {
        errors.add(field, i18n::say!(forms.control_characters));
    }
}

fn parse_port(errors: &mut FieldErrors, field: &str, value: &str) -> Option<u16> {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, i18n::say!(forms.required));
        return None;
    }
    match value.parse::<u32>() {
        Ok(p) if (1..=65535).contains(&p) => u16::try_from(p).ok(),
        Ok(_) => {
            errors.add(field, i18n::say!(forms.port_out_of_range));
            None
        }
        Err(_) => {
            errors.add(field, i18n::say!(forms.port_not_a_number));
            None
        }
    }
}

/// A host name, an IPv4 address or an IPv6 address (bare or in brackets), and
/// nothing else: no scheme, user, port, path, query or fragment. The registered
/// FE and every node address a cluster lists must pass it before a URL is
/// built from them.
pub fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err(i18n::say!(forms.required));
    }
    if host.len() > MAX_HOST_LEN {
        return Err(i18n::say!(forms.too_long, max = MAX_HOST_LEN));
    }
    if host.contains("://") {
        return Err(i18n::say!(forms.host_with_scheme));
    }
    if host.chars().any(char::is_whitespace) {
        return Err(i18n::say!(forms.host_with_spaces));
    }
    if host.contains('/') || host.contains('?') || host.contains('#') {
        return Err(i18n::say!(forms.host_with_path));
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if bare.parse::<std::net::Ipv6Addr>().is_ok() {
        return Ok(());
    }
    if host.contains(':') {
        return Err(i18n::say!(forms.host_with_port));
    }
    if host.parse::<std::net::Ipv4Addr>().is_ok() {
        return Ok(());
    }
    let labels_ok = host.trim_end_matches('.').split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    if labels_ok {
        Ok(())
    } else {
        Err(i18n::say!(forms.host_invalid))
    }
}

/// Splits "prod, team-a" into tags; duplicates are dropped, order kept.
fn parse_tags(raw: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if tag.chars().count() > MAX_TAG_LEN {
            return Err(i18n::say!(forms.tag_too_long, max = MAX_TAG_LEN));
        }
        if !tag
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '=' | '/'))
        {
            return Err(i18n::say!(forms.tag_characters, tag = tag));
        }
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(i18n::say!(forms.too_many_tags, max = MAX_TAGS));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ClusterDraft {
        ClusterDraft {
            name: "prod".into(),
            fe_host: "fe1.example.com".into(),
            ..ClusterDraft::with_defaults()
        }
    }

    fn error_for(d: &ClusterDraft, field: &str) -> String {
        d.validate()
            .expect_err("draft should be rejected")
            .get(field)
            .unwrap_or_else(|| panic!("no message for {field}"))
            .to_string()
    }

    #[test]
    fn a_complete_draft_is_valid_with_defaults() {
        let v = draft().validate().expect("valid");
        assert_eq!(v.http_port, 8030);
        assert_eq!(v.query_port, 9030);
        assert_eq!(v.username, "root");
        assert!(v.tags.is_empty());
    }

    #[test]
    fn empty_required_fields_are_named() {
        let d = ClusterDraft::default();
        let e = d.validate().expect_err("empty");
        for f in ["name", "fe_host", "http_port", "query_port", "username"] {
            assert_eq!(e.get(f), Some("Required."), "{f}");
        }
    }

    #[test]
    fn too_long_fields() {
        let mut d = draft();
        d.name = "n".repeat(65);
        assert!(error_for(&d, "name").contains("at most 64"));
        let mut d = draft();
        d.description = "d".repeat(501);
        assert!(error_for(&d, "description").contains("at most 500"));
        let mut d = draft();
        d.password = Some("p".repeat(257));
        assert!(error_for(&d, "password").contains("at most 256"));
    }

    #[test]
    fn ports_must_be_numbers_in_range() {
        for bad in ["abc", "80.5", "-1", "0", "65536", "99999999999"] {
            let mut d = draft();
            d.http_port = bad.into();
            assert!(error_for(&d, "http_port").contains("65535"), "{bad}");
        }
        let mut d = draft();
        d.query_port = " 19030 ".into();
        assert_eq!(d.validate().expect("valid").query_port, 19030);
    }

    #[test]
    fn hosts_with_scheme_path_port_or_spaces_are_refused() {
        for (bad, hint) in [
            ("http://fe1", "without http://"),
            ("fe1/metrics", "without a path"),
            ("fe 1", "spaces"),
            ("fe1:8030", "without a port"),
            ("fe_1..x", "host name"),
            ("-fe", "host name"),
        ] {
            let mut d = draft();
            d.fe_host = bad.into();
            assert!(error_for(&d, "fe_host").contains(hint), "{bad}");
        }
        for good in [
            "10.0.0.7",
            "::1",
            "[fe80::1]",
            "fe-1.prod.internal",
            "localhost",
        ] {
            let mut d = draft();
            d.fe_host = good.into();
            assert!(d.validate().is_ok(), "{good}");
        }
    }

    #[test]
    fn tags_are_split_trimmed_and_deduplicated() {
        let mut d = draft();
        d.tags = " prod, team:a ,prod,, ".into();
        assert_eq!(d.validate().expect("valid").tags, vec!["prod", "team:a"]);
        d.tags = "has space".into();
        assert!(error_for(&d, "tags").contains("has space"));
    }

    fn form(password: &str, clear: bool) -> ClusterFormData {
        ClusterFormData {
            name: "a".into(),
            fe_host: "h".into(),
            http_port: "8030".into(),
            query_port: "9030".into(),
            username: "root".into(),
            password: password.into(),
            clear_password: clear.then(|| "on".into()),
            use_https: Some("on".into()),
            extra_fes: String::new(),
            description: String::new(),
            tags: String::new(),
        }
    }

    #[test]
    fn an_empty_password_on_edit_keeps_the_stored_one() {
        assert_eq!(form("", false).into_draft(true).password, None);
        assert_eq!(
            form("", true).into_draft(true).password,
            Some(String::new())
        );
        assert_eq!(
            form("pw", false).into_draft(true).password,
            Some("pw".into())
        );
        assert_eq!(
            form("", false).into_draft(false).password,
            Some(String::new())
        );
        assert!(form("", false).into_draft(false).use_https);
    }

    #[test]
    fn http_url_brackets_ipv6() {
        let c = Cluster {
            id: 1,
            name: "x".into(),
            fe_host: "::1".into(),
            http_port: 8030,
            query_port: 9030,
            username: "root".into(),
            has_password: false,
            use_https: true,
            extra_fes: vec![],
            description: String::new(),
            tags: vec![],
            created_at: 0,
            updated_at: 0,
        };
        assert_eq!(c.http_url(), "https://[::1]:8030");
    }
}
