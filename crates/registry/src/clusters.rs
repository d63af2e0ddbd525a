//! The cluster registry: validation, storage and the sealed passwords.

use crate::secrets::SecretBox;
use crate::{now_ms, AppError};
use model::cluster::{password_again, stored_tags};
use model::fe_address::{extra_fes_text, stored_extra_fes, FeAddress};
use model::starrocks::ConnectionReport;
use model::{Cluster, ClusterDraft, FieldErrors, ValidCluster};
use sqlx::SqlitePool;
use starrocks::http::{Endpoint, HttpTimeouts};
use starrocks::sql::SqlTimeouts;

#[derive(Clone)]
pub struct ClusterService {
    pool: SqlitePool,
    secrets: SecretBox,
    timeouts: StarRocksTimeouts,
}

/// How long to wait for StarRocks (from the command line).
#[derive(Clone, Copy, Debug, Default)]
pub struct StarRocksTimeouts {
    pub http: HttpTimeouts,
    pub sql: SqlTimeouts,
}

/// How a cluster sits in its table; `tags` is comma-separated there.
#[derive(sqlx::FromRow)]
struct ClusterRow {
    id: i64,
    name: String,
    fe_host: String,
    http_port: i64,
    query_port: i64,
    username: String,
    has_password: bool,
    use_https: bool,
    extra_fes: String,
    description: String,
    tags: String,
    created_at: i64,
    updated_at: i64,
}

const COLUMNS: &str =
    "id, name, fe_host, http_port, query_port, username, has_password, use_https, \
                       extra_fes, description, tags, created_at, updated_at";

impl From<ClusterRow> for Cluster {
    fn from(r: ClusterRow) -> Self {
        let (first, extra_fes) =
            stored_addresses(r.fe_host, r.http_port, r.query_port, &r.extra_fes);
        Cluster {
            id: r.id,
            name: r.name,
            extra_fes,
            fe_host: first.host,
            http_port: first.http_port,
            query_port: first.query_port,
            username: r.username,
            has_password: r.has_password,
            use_https: r.use_https,
            description: r.description,
            tags: stored_tags(&r.tags),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A login for one cluster, for the server's own StarRocks client only.
#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

fn endpoint_of(
    first: FeAddress,
    extra: Vec<FeAddress>,
    use_https: bool,
    creds: Credentials,
) -> Endpoint {
    Endpoint {
        host: first.host,
        http_port: first.http_port,
        query_port: first.query_port,
        extra,
        use_https,
        username: creds.username,
        password: creds.password,
    }
}

/// How a stored row says where its FE answers: the first address from its
/// columns (the CHECK constraints keep the ports in range), the extra ones
/// from `extra_fes`.
fn stored_addresses(
    host: String,
    http_port: i64,
    query_port: i64,
    extra: &str,
) -> (FeAddress, Vec<FeAddress>) {
    let first = FeAddress {
        host,
        http_port: u16::try_from(http_port).unwrap_or(0),
        query_port: u16::try_from(query_port).unwrap_or(0),
    };
    let extra = stored_extra_fes(extra, &first);
    (first, extra)
}

fn no_such_cluster(id: i64) -> String {
    i18n::say!(forms.no_such_cluster, id = id)
}

fn duplicate_name(name: &str) -> AppError {
    AppError::Conflict(FieldErrors::single(
        "name",
        i18n::say!(forms.cluster_name_taken, name = name),
    ))
}

/// Turns the UNIQUE(name) violation into a 409 instead of a 500.
fn on_unique_name(e: sqlx::Error, name: &str) -> AppError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => duplicate_name(name),
        _ => e.into(),
    }
}

impl ClusterService {
    pub fn new(pool: SqlitePool, secrets: SecretBox, timeouts: StarRocksTimeouts) -> Self {
        Self {
            pool,
            secrets,
            timeouts,
        }
    }

    pub fn timeouts(&self) -> StarRocksTimeouts {
        self.timeouts
    }

    /// Tries both sides of the cluster; the report says what failed and why.
    pub async fn test_connection(&self, endpoint: &Endpoint) -> ConnectionReport {
        starrocks::probe::test_connection(endpoint, self.timeouts.http, self.timeouts.sql).await
    }

    pub async fn list(&self) -> Result<Vec<Cluster>, AppError> {
        let rows: Vec<ClusterRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM clusters ORDER BY name COLLATE NOCASE"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Cluster::from).collect())
    }

    pub async fn get(&self, id: i64) -> Result<Cluster, AppError> {
        let row: Option<ClusterRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM clusters WHERE id = ?"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(Cluster::from)
            .ok_or_else(|| AppError::NotFound(no_such_cluster(id)))
    }

    pub async fn create(&self, draft: &ClusterDraft) -> Result<Cluster, AppError> {
        let v = draft.validate().map_err(AppError::Validation)?;
        self.ensure_name_free(&v.name, None).await?;
        let password = v.password.clone().unwrap_or_default();
        let sealed = self.secrets.seal(&password).map_err(AppError::internal)?;
        let now = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO clusters (name, fe_host, http_port, query_port, username, password_enc,
                                   has_password, use_https, extra_fes, description, tags,
                                   created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&v.name)
        .bind(&v.fe_host)
        .bind(i64::from(v.http_port))
        .bind(i64::from(v.query_port))
        .bind(&v.username)
        .bind(sealed)
        .bind(!password.is_empty())
        .bind(v.use_https)
        .bind(extra_fes_text(&v.extra_fes))
        .bind(&v.description)
        .bind(v.tags.join(","))
        .bind(now)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| on_unique_name(e, &v.name))?;
        tracing::info!(cluster = %v.name, id, "cluster registered");
        self.get(id).await
    }

    /// Replaces the cluster's fields; a `None` password keeps the stored one.
    pub async fn update(&self, id: i64, draft: &ClusterDraft) -> Result<Cluster, AppError> {
        let stored = self.get(id).await?;
        let v: ValidCluster = draft.validate().map_err(AppError::Validation)?;
        keeps_password_on_its_target(&v, &stored)?;
        self.ensure_name_free(&v.name, Some(id)).await?;
        let now = now_ms();
        // A missing password binds NULL and COALESCE keeps the stored one.
        let sealed = match &v.password {
            Some(p) => Some(self.secrets.seal(p).map_err(AppError::internal)?),
            None => None,
        };
        let has_password = v.password.as_ref().map(|p| !p.is_empty());
        let result = sqlx::query(
            "UPDATE clusters SET name = ?, fe_host = ?, http_port = ?, query_port = ?, username = ?,
                    use_https = ?, extra_fes = ?, description = ?, tags = ?, updated_at = ?,
                    password_enc = COALESCE(?, password_enc), has_password = COALESCE(?, has_password)
             WHERE id = ?",
        )
        .bind(&v.name)
        .bind(&v.fe_host)
        .bind(i64::from(v.http_port))
        .bind(i64::from(v.query_port))
        .bind(&v.username)
        .bind(v.use_https)
        .bind(extra_fes_text(&v.extra_fes))
        .bind(&v.description)
        .bind(v.tags.join(","))
        .bind(now)
        .bind(sealed)
        .bind(has_password)
        .bind(id)
        .execute(&self.pool)
        .await;
        let done = result.map_err(|e| on_unique_name(e, &v.name))?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound(no_such_cluster(id)));
        }
        tracing::info!(cluster = %v.name, id, "cluster updated");
        self.get(id).await
    }

    /// Deletes the cluster; its history goes with it through ON DELETE CASCADE.
    /// Seals the empty passwords again with the current key: after a new key
    /// was created (no real password was stored), the old blobs of empty
    /// passwords would no longer open.
    pub async fn reseal_empty_passwords(&self) -> Result<u64, AppError> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM clusters WHERE NOT has_password")
            .fetch_all(&self.pool)
            .await?;
        for id in &ids {
            let blob = self.secrets.seal("").map_err(AppError::internal)?;
            sqlx::query("UPDATE clusters SET password_enc = ? WHERE id = ?")
                .bind(blob)
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        Ok(ids.len() as u64)
    }

    pub async fn delete(&self, id: i64) -> Result<(), AppError> {
        let done = sqlx::query("DELETE FROM clusters WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound(no_such_cluster(id)));
        }
        tracing::info!(id, "cluster deleted");
        Ok(())
    }

    /// The decrypted login, for talking to StarRocks. Never sent to a browser.
    pub async fn credentials(&self, id: i64) -> Result<Credentials, AppError> {
        let row: Option<(String, Vec<u8>)> =
            sqlx::query_as("SELECT username, password_enc FROM clusters WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let (username, blob) = row.ok_or_else(|| AppError::NotFound(no_such_cluster(id)))?;
        let password = self
            .secrets
            .open(&blob)
            .map_err(|e| AppError::internal(format!("cluster {id}: {e}")))?;
        Ok(Credentials { username, password })
    }

    /// Every registered cluster with how to reach it, in one query: what the
    /// collector needs each tick. A cluster whose password cannot be decrypted
    /// (the key file changed) is left out and logged, not fatal for the others.
    pub async fn endpoints(&self) -> Result<Vec<(i64, Endpoint)>, AppError> {
        type Row = (i64, String, i64, i64, String, bool, String, Vec<u8>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, fe_host, http_port, query_port, extra_fes, use_https, username, \
             password_enc FROM clusters ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, host, http_port, query_port, extra, use_https, username, blob) in rows {
            let password = match self.secrets.open(&blob) {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(cluster = id, error = %e, "cannot decrypt the cluster's password; not collecting it");
                    continue;
                }
            };
            let (first, extra) = stored_addresses(host, http_port, query_port, &extra);
            out.push((
                id,
                endpoint_of(first, extra, use_https, Credentials { username, password }),
            ));
        }
        Ok(out)
    }

    /// How to reach a registered cluster, with its decrypted password.
    pub async fn endpoint(&self, id: i64) -> Result<Endpoint, AppError> {
        let cluster = self.get(id).await?;
        let creds = self.credentials(id).await?;
        Ok(endpoint_of(
            cluster.first_fe(),
            cluster.extra_fes,
            cluster.use_https,
            creds,
        ))
    }

    /// How to reach a cluster described by a form that is not saved. When
    /// `stored_for` names a registered cluster and the draft keeps its password
    /// (`None`), the stored password is used.
    pub async fn draft_endpoint(
        &self,
        draft: &ClusterDraft,
        stored_for: Option<i64>,
    ) -> Result<Endpoint, AppError> {
        let v = draft.validate().map_err(AppError::Validation)?;
        let password = match (&v.password, stored_for) {
            (Some(p), _) => p.clone(),
            (None, Some(id)) => {
                keeps_password_on_its_target(&v, &self.get(id).await?)?;
                self.credentials(id).await?.password
            }
            (None, None) => String::new(),
        };
        let creds = Credentials {
            username: v.username.clone(),
            password,
        };
        Ok(endpoint_of(v.first_fe(), v.extra_fes, v.use_https, creds))
    }

    /// Checked before writing so the form can name the field; the UNIQUE
    /// constraint still guards against a race.
    async fn ensure_name_free(&self, name: &str, except: Option<i64>) -> Result<(), AppError> {
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM clusters WHERE name = ? AND id IS NOT ?")
                .bind(name)
                .bind(except)
                .fetch_optional(&self.pool)
                .await?;
        match taken {
            Some(_) => Err(duplicate_name(name)),
            None => Ok(()),
        }
    }
}

/// A stored password goes only to the target it was saved for: an edit or a
/// connection test that keeps it (no password given) must not change the host,
/// ports, scheme or user.
fn keeps_password_on_its_target(v: &ValidCluster, stored: &Cluster) -> Result<(), AppError> {
    if v.password.is_none() && stored.has_password && v.changes_target_of(stored) {
        return Err(AppError::Validation(FieldErrors::single(
            "password",
            password_again(),
        )));
    }
    Ok(())
}

/// How many clusters have a (non-empty) password sealed with the secret key.
pub async fn sealed_password_count(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM clusters WHERE has_password")
        .fetch_one(pool)
        .await
}
