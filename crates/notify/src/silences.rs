//! Silences: no notifications for a cluster, a rule, or a rule on a
//! cluster, until a time. The alerts themselves still open and resolve.

use model::alerting::{Silence, SilenceInput};
use model::FieldErrors;
use registry::AppError;
use sqlx::SqlitePool;

const MAX_COMMENT_LEN: usize = 500;
const MAX_RULE_LEN: usize = 64;
/// A silence longer than this is a channel to disable, not a silence.
pub const MAX_SILENCE_MS: i64 = 90 * 24 * 3_600_000;

/// A silence that passed validation.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidSilence {
    pub cluster_id: Option<i64>,
    pub rule: Option<String>,
    pub ends_at: i64,
    pub comment: String,
}

pub fn validate(input: &SilenceInput, now: i64) -> Result<ValidSilence, FieldErrors> {
    let mut errors = FieldErrors::default();
    let rule = input
        .rule
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty() && *r != "*");
    if let Some(r) = rule {
        if r.chars().count() > MAX_RULE_LEN
            || !r.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            errors.add("rule", i18n::say!(forms.rule_invalid));
        }
    }
    if input.cluster_id.is_none() && rule.is_none() {
        errors.add("cluster_id", i18n::say!(forms.silence_target));
    }
    let ends_at = match (input.ends_at, input.minutes) {
        (Some(t), _) => Some(t),
        (None, Some(m)) => m.checked_mul(60_000).and_then(|ms| now.checked_add(ms)),
        (None, None) => None,
    };
    let ends_at = match ends_at {
        Some(t) if t > now && t - now <= MAX_SILENCE_MS => t,
        _ => {
            errors.add("ends_at", i18n::say!(forms.silence_end));
            now
        }
    };
    let comment = input.comment.trim();
    if comment.is_empty() {
        errors.add("comment", i18n::say!(forms.required));
    } else if comment.chars().count() > MAX_COMMENT_LEN {
        errors.add("comment", i18n::say!(forms.too_long, max = MAX_COMMENT_LEN));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidSilence {
        cluster_id: input.cluster_id,
        rule: rule.map(str::to_string),
        ends_at,
        comment: comment.to_string(),
    })
}

pub use store::silences::{active, list};

/// The first of `silences` that holds notifications of `rule` on `cluster_id`.
pub fn matching(silences: &[Silence], cluster_id: i64, rule: &str) -> Option<i64> {
    silences
        .iter()
        .find(|s| {
            s.active
                && s.cluster_id.is_none_or(|c| c == cluster_id)
                && s.rule.as_deref().is_none_or(|r| r == rule)
        })
        .map(|s| s.id)
}

pub async fn insert(
    pool: &SqlitePool,
    s: &ValidSilence,
    user: &str,
    now: i64,
) -> Result<i64, AppError> {
    if let Some(id) = s.cluster_id {
        let known: Option<(i64,)> = sqlx::query_as("SELECT id FROM clusters WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?;
        if known.is_none() {
            return Err(AppError::Validation(FieldErrors::single(
                "cluster_id",
                i18n::say!(forms.unknown_cluster),
            )));
        }
    }
    let r = sqlx::query(
        "INSERT INTO silences (cluster_id, rule, starts_at, ends_at, comment, created_by) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(s.cluster_id)
    .bind(&s.rule)
    .bind(now)
    .bind(s.ends_at)
    .bind(&s.comment)
    .bind(user)
    .execute(pool)
    .await?;
    Ok(r.last_insert_rowid())
}

/// Ends a silence now. 404 for an unknown one; ending an ended one changes
/// nothing.
pub async fn end(pool: &SqlitePool, id: i64, user: &str, now: i64) -> Result<Silence, AppError> {
    sqlx::query("UPDATE silences SET ends_at = ?, ended_by = ? WHERE id = ? AND ends_at > ?")
        .bind(now)
        .bind(user)
        .bind(id)
        .bind(now)
        .execute(pool)
        .await?;
    store::silences::get(pool, id, now)
        .await?
        .ok_or_else(|| AppError::NotFound(i18n::say!(forms.silence_not_found, id = id)))
}
