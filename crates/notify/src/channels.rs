//! Notification channels: validated, stored with their destination sealed,
//! listed without it.

use crate::target::{SmtpSettings, SmtpTls, Target};
use model::alerting::{Channel, ChannelInput, SmtpShown, CHANNEL_KINDS};
use model::cluster::check_text;
use model::FieldErrors;
use registry::secrets::SecretBox;
use registry::AppError;
use sqlx::SqlitePool;

/// Binds a sealed destination to channels: it cannot be opened as a
/// cluster password, nor one as it.
pub const PURPOSE: &[u8] = b"starrocks-overview/channel-target/v1";

pub const MAX_NAME_LEN: usize = 64;
const MAX_URL_LEN: usize = 2048;
const MAX_SECRET_LEN: usize = 512;
const MAX_HEADERS: usize = 20;
const MAX_RECIPIENTS: usize = 50;
const MAX_SELECTED: usize = 100;

/// A channel's stored row, destination still sealed.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ChannelRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub enabled: bool,
    pub min_level: String,
    pub scope: String,
    pub selected: String,
    pub lang: String,
    pub rate_per_minute: i64,
    pub shown: String,
    pub target: Vec<u8>,
    pub created_by: String,
    pub updated_at: i64,
}

pub const ROW_COLUMNS: &str = "id, name, kind, enabled, min_level, scope, selected, lang, \
     rate_per_minute, shown, target, created_by, updated_at";

impl ChannelRow {
    pub fn selected(&self) -> Vec<String> {
        split_list(&self.selected)
    }

    pub fn open(&self, secrets: &SecretBox) -> Result<Target, String> {
        let json = secrets.open_for(PURPOSE, &self.target)?;
        serde_json::from_str(&json).map_err(|e| format!("stored channel is unreadable: {e}"))
    }

    /// The row as the browser may see it: no URL token, no secret.
    pub fn view(&self, target: Option<&Target>) -> Channel {
        let (has_secret, header_names, smtp) = match target {
            Some(Target::DingTalk { secret, .. }) | Some(Target::Feishu { secret, .. }) => {
                (secret.is_some(), Vec::new(), None)
            }
            Some(Target::Webhook { headers, .. }) => (
                false,
                headers.iter().map(|(n, _)| n.clone()).collect(),
                None,
            ),
            Some(Target::Email(s)) => (
                s.password.is_some(),
                Vec::new(),
                Some(SmtpShown {
                    host: s.host.clone(),
                    port: s.port,
                    tls: tls_key(s.tls).to_string(),
                    username: s.username.clone(),
                    from: s.from.clone(),
                    to: s.to.clone(),
                }),
            ),
            _ => (false, Vec::new(), None),
        };
        Channel {
            id: self.id,
            name: self.name.clone(),
            kind: self.kind.clone(),
            enabled: self.enabled,
            min_level: self.min_level.clone(),
            scope: self.scope.clone(),
            selected: self.selected(),
            lang: self.lang.clone(),
            rate_per_minute: u32::try_from(self.rate_per_minute).unwrap_or(1),
            shown: self.shown.clone(),
            has_secret,
            header_names,
            smtp,
            failing: false,
            pending: 0,
            last: None,
            created_by: self.created_by.clone(),
            updated_at: self.updated_at,
        }
    }
}

/// A channel that passed validation, ready to store.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidChannel {
    pub name: String,
    pub enabled: bool,
    pub min_level: String,
    pub scope: String,
    pub selected: Vec<String>,
    pub lang: String,
    pub rate_per_minute: u32,
    pub target: Target,
}

impl ValidChannel {
    /// What the browser may see of the destination.
    pub fn shown(&self) -> String {
        shown(&self.target)
    }
}

fn tls_key(t: SmtpTls) -> &'static str {
    match t {
        SmtpTls::Starttls => "starttls",
        SmtpTls::Tls => "tls",
        SmtpTls::None => "none",
    }
}

/// A URL's scheme and host, the rest (the token) left out.
fn url_shown(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => format!("{}://{}/…", u.scheme(), u.host_str().unwrap_or("")),
        Err(_) => "…".into(),
    }
}

pub fn shown(target: &Target) -> String {
    match target {
        Target::Webhook { url, .. }
        | Target::DingTalk { url, .. }
        | Target::Feishu { url, .. }
        | Target::WeCom { url }
        | Target::Slack { url } => url_shown(url),
        Target::Email(s) => format!("{}:{} → {}", s.host, s.port, s.to.join(", ")),
    }
}

/// The service's own limit where it documents one (DingTalk and WeCom: 20
/// messages a minute per robot; Feishu 100; Slack about one a second), a
/// generous one for webhooks and mail.
pub fn default_rate(kind: &str) -> u32 {
    match kind {
        "dingtalk" | "wecom" => 20,
        "feishu" => 100,
        "slack" => 60,
        "email" => 60,
        _ => 3000,
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split([',', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn one_of(errors: &mut FieldErrors, field: &str, value: &str, allowed: &[&str]) {
    if !allowed.contains(&value) {
        errors.add(field, i18n::say!(forms.one_of, list = allowed.join(", ")));
    }
}

/// An http(s) URL with a host, or the field's error.
fn check_url(errors: &mut FieldErrors, field: &str, url: &str) -> Option<String> {
    if url.chars().count() > MAX_URL_LEN {
        errors.add(field, i18n::say!(forms.too_long, max = MAX_URL_LEN));
        return None;
    }
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Some(url.to_string())
        }
        _ => {
            errors.add(field, i18n::say!(forms.url_invalid));
            None
        }
    }
}

fn check_headers(errors: &mut FieldErrors, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parsed = line.split_once(':').and_then(|(n, v)| {
            let (n, v) = (n.trim(), v.trim());
            let ok = reqwest::header::HeaderName::from_bytes(n.as_bytes()).is_ok()
                && reqwest::header::HeaderValue::from_str(v).is_ok();
            ok.then(|| (n.to_string(), v.to_string()))
        });
        match parsed {
            Some(h) if out.len() < MAX_HEADERS => out.push(h),
            Some(_) => {
                errors.add("headers", i18n::say!(forms.too_many, max = MAX_HEADERS));
                break;
            }
            None => {
                errors.add("headers", i18n::say!(forms.header_invalid));
                break;
            }
        }
    }
    out
}

fn check_address(errors: &mut FieldErrors, field: &str, a: &str) -> bool {
    if a.parse::<lettre::Address>().is_err() {
        errors.add(field, i18n::say!(forms.email_invalid, address = a));
        return false;
    }
    true
}

/// Checks a form against the rules; `stored` is the channel's destination
/// on an edit, whose secrets an empty field keeps.
pub fn validate(
    input: &ChannelInput,
    stored: Option<&Target>,
) -> Result<ValidChannel, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = input.name.trim();
    check_text(&mut errors, "name", name, MAX_NAME_LEN, true);
    let kind = input.kind.trim();
    one_of(&mut errors, "kind", kind, CHANNEL_KINDS);
    let min_level = match input.min_level.trim() {
        "" => "warning",
        l => l,
    };
    one_of(
        &mut errors,
        "min_level",
        min_level,
        &["warning", "critical"],
    );
    let scope = match input.scope.trim() {
        "" => "all",
        s => s,
    };
    one_of(&mut errors, "scope", scope, &["all", "tags", "clusters"]);
    let selected = if scope == "all" {
        Vec::new()
    } else {
        let list = split_list(&input.selected);
        if list.is_empty() {
            errors.add("selected", i18n::say!(forms.selected_required));
        } else if list.len() > MAX_SELECTED {
            errors.add("selected", i18n::say!(forms.too_many, max = MAX_SELECTED));
        } else if list.iter().any(|t| t.chars().count() > MAX_NAME_LEN) {
            errors.add("selected", i18n::say!(forms.too_long, max = MAX_NAME_LEN));
        }
        list
    };
    let lang = match input.lang.trim() {
        "" => "en",
        l => l,
    };
    one_of(&mut errors, "lang", lang, &["en", "zh-CN"]);
    let rate_per_minute = match input.rate_per_minute.trim() {
        "" => default_rate(kind),
        r => match r.parse::<u32>() {
            Ok(n) if (1..=6000).contains(&n) => n,
            _ => {
                errors.add("rate_per_minute", i18n::say!(forms.rate_range));
                default_rate(kind)
            }
        },
    };
    let target = target(&mut errors, kind, input, stored);
    match target {
        Some(target) if errors.is_empty() => Ok(ValidChannel {
            name: name.to_string(),
            enabled: input.enabled,
            min_level: min_level.to_string(),
            scope: scope.to_string(),
            selected,
            lang: lang.to_string(),
            rate_per_minute,
            target,
        }),
        _ => Err(errors),
    }
}

/// The destination the form describes, keeping stored secrets the form
/// left empty (only when the kind did not change).
fn target(
    errors: &mut FieldErrors,
    kind: &str,
    input: &ChannelInput,
    stored: Option<&Target>,
) -> Option<Target> {
    let stored = stored.filter(|t| t.kind() == kind);
    let stored_url = match stored {
        Some(Target::Webhook { url, .. })
        | Some(Target::DingTalk { url, .. })
        | Some(Target::Feishu { url, .. })
        | Some(Target::WeCom { url })
        | Some(Target::Slack { url }) => Some(url.clone()),
        _ => None,
    };
    let stored_secret = match stored {
        Some(Target::DingTalk { secret, .. }) | Some(Target::Feishu { secret, .. }) => {
            secret.clone()
        }
        Some(Target::Email(s)) => s.password.clone(),
        _ => None,
    };
    let secret = |errors: &mut FieldErrors, field: &str, given: &str| -> Option<String> {
        let given = given.trim();
        if input.clear_secret {
            None
        } else if given.is_empty() {
            stored_secret.clone()
        } else if given.chars().count() > MAX_SECRET_LEN || given.chars().any(char::is_control) {
            errors.add(field, i18n::say!(forms.too_long, max = MAX_SECRET_LEN));
            None
        } else {
            Some(given.to_string())
        }
    };
    if kind == "email" {
        let password = secret(errors, "smtp_password", &input.smtp_password);
        return email(errors, input, password);
    }
    let url = match (input.url.trim(), stored_url) {
        ("", Some(u)) => Some(u),
        ("", None) => {
            if CHANNEL_KINDS.contains(&kind) {
                errors.add("url", i18n::say!(forms.required));
            }
            None
        }
        (u, _) => check_url(errors, "url", u),
    };
    let headers = match (input.headers.trim(), stored) {
        ("", Some(Target::Webhook { headers, .. })) => headers.clone(),
        (text, _) => check_headers(errors, text),
    };
    let url = url?;
    Some(match kind {
        "webhook" => Target::Webhook { url, headers },
        "dingtalk" => Target::DingTalk {
            url,
            secret: secret(errors, "secret", &input.secret),
        },
        "feishu" => Target::Feishu {
            url,
            secret: secret(errors, "secret", &input.secret),
        },
        "wecom" => Target::WeCom { url },
        "slack" => Target::Slack { url },
        _ => return None,
    })
}

fn email(
    errors: &mut FieldErrors,
    input: &ChannelInput,
    password: Option<String>,
) -> Option<Target> {
    let host = input.smtp_host.trim();
    if host.is_empty() {
        errors.add("smtp_host", i18n::say!(forms.smtp_host_required));
    } else if host.contains(['/', ' ', ':']) || host.chars().count() > 253 {
        errors.add("smtp_host", i18n::say!(forms.host_invalid));
    }
    let tls = match input.smtp_tls.trim() {
        "" | "starttls" => SmtpTls::Starttls,
        "tls" => SmtpTls::Tls,
        "none" => SmtpTls::None,
        _ => {
            one_of(
                errors,
                "smtp_tls",
                input.smtp_tls.trim(),
                &["starttls", "tls", "none"],
            );
            SmtpTls::Starttls
        }
    };
    let port = match input.smtp_port.trim() {
        "" => match tls {
            SmtpTls::Tls => 465,
            SmtpTls::Starttls => 587,
            SmtpTls::None => 25,
        },
        p => match p.parse::<u32>() {
            Ok(p) if (1..=65535).contains(&p) => u16::try_from(p).unwrap_or(587),
            _ => {
                errors.add("smtp_port", i18n::say!(forms.port_out_of_range));
                587
            }
        },
    };
    let username = input.smtp_username.trim();
    check_text(errors, "smtp_username", username, 256, false);
    let from = input.email_from.trim();
    if from.is_empty() {
        errors.add("email_from", i18n::say!(forms.required));
    } else {
        check_address(errors, "email_from", from);
    }
    let to = split_list(&input.email_to);
    if to.is_empty() {
        errors.add("email_to", i18n::say!(forms.required));
    } else if to.len() > MAX_RECIPIENTS {
        errors.add("email_to", i18n::say!(forms.too_many, max = MAX_RECIPIENTS));
    } else {
        for a in &to {
            if !check_address(errors, "email_to", a) {
                break;
            }
        }
    }
    Some(Target::Email(SmtpSettings {
        host: host.to_string(),
        port,
        tls,
        username: (!username.is_empty()).then(|| username.to_string()),
        password,
        from: from.to_string(),
        to,
    }))
}

/// How many channels hold a destination sealed with the key: a start
/// without the key file must not make a new key that cannot open them.
pub async fn sealed_count(pool: &SqlitePool) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM channels")
        .fetch_one(pool)
        .await?;
    Ok(n)
}

/// The channels' rows, by name.
pub async fn rows(pool: &SqlitePool) -> sqlx::Result<Vec<ChannelRow>> {
    sqlx::query_as(&format!("SELECT {ROW_COLUMNS} FROM channels ORDER BY name"))
        .fetch_all(pool)
        .await
}

pub async fn row(pool: &SqlitePool, id: i64) -> Result<ChannelRow, AppError> {
    sqlx::query_as(&format!("SELECT {ROW_COLUMNS} FROM channels WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| not_found(id))
}

fn sealed(secrets: &SecretBox, target: &Target) -> Result<Vec<u8>, AppError> {
    let json = serde_json::to_string(target).map_err(AppError::internal)?;
    secrets.seal_for(PURPOSE, &json).map_err(AppError::internal)
}

fn name_taken(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

fn conflict() -> AppError {
    AppError::Conflict(FieldErrors::single(
        "name",
        i18n::say!(forms.channel_name_taken),
    ))
}

/// 404 for a channel that is not there.
pub fn not_found(id: i64) -> AppError {
    AppError::NotFound(i18n::say!(forms.channel_not_found, id = id))
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

/// The columns a form sets, in the order of [`insert`]'s and [`update`]'s
/// statements.
fn bind_fields<'q>(q: Query<'q>, c: &'q ValidChannel, sealed: Vec<u8>) -> Query<'q> {
    q.bind(&c.name)
        .bind(c.target.kind())
        .bind(c.enabled)
        .bind(&c.min_level)
        .bind(&c.scope)
        .bind(c.selected.join(", "))
        .bind(&c.lang)
        .bind(i64::from(c.rate_per_minute))
        .bind(c.shown())
        .bind(sealed)
}

/// A stored channel's outcome: its name taken is a conflict on `name`.
fn stored<T>(r: sqlx::Result<T>) -> Result<T, AppError> {
    match r {
        Ok(v) => Ok(v),
        Err(e) if name_taken(&e) => Err(conflict()),
        Err(e) => Err(e.into()),
    }
}

pub async fn insert(
    pool: &SqlitePool,
    secrets: &SecretBox,
    c: &ValidChannel,
    user: &str,
    now: i64,
) -> Result<i64, AppError> {
    let q = sqlx::query(
        "INSERT INTO channels (name, kind, enabled, min_level, scope, selected, lang, \
         rate_per_minute, shown, target, created_by, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    let q = bind_fields(q, c, sealed(secrets, &c.target)?);
    let r = stored(q.bind(user).bind(now).bind(now).execute(pool).await)?;
    Ok(r.last_insert_rowid())
}

pub async fn update(
    pool: &SqlitePool,
    secrets: &SecretBox,
    id: i64,
    c: &ValidChannel,
    now: i64,
) -> Result<(), AppError> {
    let q = sqlx::query(
        "UPDATE channels SET name = ?, kind = ?, enabled = ?, min_level = ?, scope = ?, \
         selected = ?, lang = ?, rate_per_minute = ?, shown = ?, target = ?, updated_at = ? \
         WHERE id = ?",
    );
    let q = bind_fields(q, c, sealed(secrets, &c.target)?);
    let r = stored(q.bind(now).bind(id).execute(pool).await)?;
    if r.rows_affected() == 0 {
        return Err(not_found(id));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
