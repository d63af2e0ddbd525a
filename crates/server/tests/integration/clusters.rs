use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};

const SECRET: &str = "Sup3r-Secret-Cluster-Pw";

fn prod() -> Value {
    json!({
        "name": "prod",
        "fe_host": "fe1.example.com",
        "username": "monitor",
        "password": SECRET,
        "use_https": true,
        "description": "Production, eu-west",
        "tags": ["prod", "team-a"]
    })
}

#[tokio::test]
async fn register_list_edit_and_delete_a_cluster() {
    let app = start().await;
    let c = app.admin_cookie().await;
    let created = app
        .send(Method::POST, "/api/clusters", Some(&c), Some(prod()))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = created.json();
    let id = body["id"].as_i64().expect("id");
    assert_eq!(body["http_port"], 8030, "default HTTP port");
    assert_eq!(body["query_port"], 9030, "default MySQL port");
    assert_eq!(body["has_password"], true);
    assert_eq!(body["tags"], json!(["prod", "team-a"]));

    let list = app.send(Method::GET, "/api/clusters", Some(&c), None).await;
    assert_eq!(list.json().as_array().map(Vec::len), Some(1));

    // A fetched object can be edited and sent back as it is: without a
    // password field the stored one is kept (same host, ports, scheme, user).
    let mut edited = app
        .send(Method::GET, &format!("/api/clusters/{id}"), Some(&c), None)
        .await
        .json();
    edited["description"] = json!("Production, eu-west-2");
    let updated = app
        .send(
            Method::PUT,
            &format!("/api/clusters/{id}"),
            Some(&c),
            Some(edited.clone()),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.json()["description"], "Production, eu-west-2");
    assert_eq!(
        updated.json()["has_password"],
        true,
        "no password field keeps the stored one"
    );
    // A new host and port take the password with them (see
    // stored_passwords_are_not_sent_to_a_new_host for the refusal without it).
    edited["fe_host"] = json!("10.0.0.7");
    edited["http_port"] = json!("18030");
    edited["password"] = json!(SECRET);
    let updated = app
        .send(
            Method::PUT,
            &format!("/api/clusters/{id}"),
            Some(&c),
            Some(edited),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.json()["fe_host"], "10.0.0.7");
    assert_eq!(updated.json()["http_port"], 18030);
    assert_eq!(updated.json()["has_password"], true);
    let creds = app
        .state
        .clusters
        .credentials(id)
        .await
        .expect("credentials");
    assert_eq!(creds.password, SECRET);

    let deleted = app
        .send(
            Method::DELETE,
            &format!("/api/clusters/{id}"),
            Some(&c),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app
        .send(Method::GET, &format!("/api/clusters/{id}"), Some(&c), None)
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.json()["error"], "not_found");
    let again = app
        .send(
            Method::DELETE,
            &format!("/api/clusters/{id}"),
            Some(&c),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn invalid_input_names_the_field_and_stores_nothing() {
    let app = start().await;
    let c = app.admin_cookie().await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({"name": ""}), "name"),
        (json!({"name": "x".repeat(65)}), "name"),
        (json!({"http_port": "abc"}), "http_port"),
        (json!({"http_port": 70000}), "http_port"),
        (json!({"query_port": 0}), "query_port"),
        (json!({"query_port": [1]}), "query_port"),
        (json!({"fe_host": "http://fe1"}), "fe_host"),
        (json!({"fe_host": "fe1/path"}), "fe_host"),
        (json!({"fe_host": "fe 1"}), "fe_host"),
        (json!({"fe_host": ""}), "fe_host"),
        (json!({"username": ""}), "username"),
        (json!({"tags": "bad tag"}), "tags"),
        (json!({"tags": 5}), "tags"),
        (json!({"description": "d".repeat(501)}), "description"),
    ];
    for (patch, field) in cases {
        let mut body = prod();
        for (k, v) in patch.as_object().expect("object") {
            body[k] = v.clone();
        }
        let r = app
            .send(Method::POST, "/api/clusters", Some(&c), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{patch}: {}", r.body);
        let j = r.json();
        assert_eq!(j["error"], "validation");
        assert!(
            j["fields"][field].is_string(),
            "{patch}: expected a message for {field}: {j}"
        );
    }
    let list = app.send(Method::GET, "/api/clusters", Some(&c), None).await;
    assert_eq!(list.json(), json!([]), "nothing was stored");
}

#[tokio::test]
async fn duplicate_names_conflict_on_create_and_on_rename() {
    let app = start().await;
    let c = app.admin_cookie().await;
    assert_eq!(
        app.send(Method::POST, "/api/clusters", Some(&c), Some(prod()))
            .await
            .status,
        StatusCode::CREATED
    );
    let mut dup = prod();
    dup["name"] = json!("PROD");
    let r = app
        .send(Method::POST, "/api/clusters", Some(&c), Some(dup))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.json()["fields"]["name"]
        .as_str()
        .unwrap_or_default()
        .contains("already exists"));

    let mut other = prod();
    other["name"] = json!("staging");
    let staging = app
        .send(Method::POST, "/api/clusters", Some(&c), Some(other.clone()))
        .await
        .json();
    other["name"] = json!("prod");
    let r = app
        .send(
            Method::PUT,
            &format!("/api/clusters/{}", staging["id"]),
            Some(&c),
            Some(other),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn unreadable_requests_get_json_400s() {
    let app = start().await;
    let c = app.admin_cookie().await;
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/clusters")
        .header(header::COOKIE, &c)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .expect("request");
    let r = app.raw(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"], "bad_request");

    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/clusters")
        .header(header::COOKIE, &c)
        .body(Body::from(prod().to_string()))
        .expect("request");
    let r = app.raw(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["message"]
        .as_str()
        .unwrap_or_default()
        .contains("application/json"));

    let mut typo = prod();
    typo["fe_hots"] = json!("x");
    let r = app
        .send(Method::POST, "/api/clusters", Some(&c), Some(typo))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["message"]
        .as_str()
        .unwrap_or_default()
        .contains("fe_hots"));

    let r = app
        .send(Method::GET, "/api/clusters/abc", Some(&c), None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .send(Method::GET, "/api/clusters/999", Some(&c), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .send(Method::PUT, "/api/clusters/999", Some(&c), Some(prod()))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .send(Method::GET, "/api/nothing/here", Some(&c), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"], "not_found");
}

#[tokio::test]
async fn no_response_ever_contains_the_cluster_password() {
    let app = start().await;
    let c = app.admin_cookie().await;
    let mut bodies = Vec::new();
    let created = app
        .send(Method::POST, "/api/clusters", Some(&c), Some(prod()))
        .await;
    let id = created.json()["id"].as_i64().expect("id");
    bodies.push(created.body);
    bodies.push(
        app.send(Method::GET, "/api/clusters", Some(&c), None)
            .await
            .body,
    );
    bodies.push(
        app.send(Method::GET, &format!("/api/clusters/{id}"), Some(&c), None)
            .await
            .body,
    );
    bodies.push(
        app.send(
            Method::PUT,
            &format!("/api/clusters/{id}"),
            Some(&c),
            Some(prod()),
        )
        .await
        .body,
    );
    // The pages too: the list and the edit form.
    bodies.push(
        app.send(Method::GET, "/clusters", Some(&c), None)
            .await
            .body,
    );
    bodies.push(
        app.send(Method::GET, &format!("/clusters/{id}/edit"), Some(&c), None)
            .await
            .body,
    );
    bodies.push(
        app.send(Method::GET, &format!("/clusters/{id}"), Some(&c), None)
            .await
            .body,
    );
    for b in &bodies {
        assert!(!b.contains(SECRET), "password leaked in: {b}");
        assert!(!b.contains("password_enc"), "{b}");
    }
    assert!(
        bodies[5].contains("fe1.example.com"),
        "the edit page shows the cluster"
    );
}

#[tokio::test]
async fn the_stored_password_is_sealed_and_opens_back() {
    let app = start().await;
    let c = app.admin_cookie().await;
    let id = app
        .send(Method::POST, "/api/clusters", Some(&c), Some(prod()))
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let blob: Vec<u8> = sqlx::query_scalar("SELECT password_enc FROM clusters WHERE id = ?")
        .bind(id)
        .fetch_one(&app.state.pool)
        .await
        .expect("row");
    assert!(!blob.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()));
    assert!(
        blob.len() > SECRET.len() + 12,
        "nonce and tag are stored with it"
    );
    assert_eq!(
        app.state
            .clusters
            .credentials(id)
            .await
            .expect("open")
            .password,
        SECRET
    );
    // Nothing on disk holds it in plain text: database, WAL and key file.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&app.state.pool)
        .await
        .expect("checkpoint");
    for entry in std::fs::read_dir(app.dir.path()).expect("dir") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        assert!(
            !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "{} holds the password",
            path.display()
        );
    }
}

#[tokio::test]
async fn a_password_can_be_replaced_or_removed() {
    let app = start().await;
    let c = app.admin_cookie().await;
    let id = app
        .send(Method::POST, "/api/clusters", Some(&c), Some(prod()))
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let mut body = prod();
    body["password"] = json!("another-one");
    app.send(
        Method::PUT,
        &format!("/api/clusters/{id}"),
        Some(&c),
        Some(body.clone()),
    )
    .await;
    assert_eq!(
        app.state
            .clusters
            .credentials(id)
            .await
            .expect("open")
            .password,
        "another-one"
    );
    body["password"] = json!("");
    let r = app
        .send(
            Method::PUT,
            &format!("/api/clusters/{id}"),
            Some(&c),
            Some(body),
        )
        .await;
    assert_eq!(r.json()["has_password"], false);
    assert_eq!(
        app.state
            .clusters
            .credentials(id)
            .await
            .expect("open")
            .password,
        ""
    );
}

#[tokio::test]
async fn the_database_enforces_foreign_keys_and_uses_wal() {
    let app = start().await;
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&app.state.pool)
        .await
        .expect("pragma");
    assert_eq!(
        fk, 1,
        "ON DELETE CASCADE of cluster history needs foreign keys on"
    );
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&app.state.pool)
        .await
        .expect("pragma");
    assert_eq!(mode, "wal");
}

/// Issue 11, point 9: a stored password is only ever sent to the target it was
/// saved for. Keeping it while changing the host, a port, HTTPS or the user is
/// a 400 on the password field, for saving and for testing the connection.
#[tokio::test]
async fn stored_passwords_are_not_sent_to_a_new_host() {
    let app = start().await;
    let c = app.admin_cookie().await;
    let r = app
        .send(Method::POST, "/api/clusters", Some(&c), Some(prod()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let path = format!("/api/clusters/{id}");
    for (field, value) in [
        ("fe_host", json!("attacker.example")),
        ("http_port", json!(8031)),
        ("query_port", json!(19030)),
        ("use_https", json!(false)),
        ("username", json!("root")),
    ] {
        let mut body = prod();
        body.as_object_mut().expect("object").remove("password");
        body[field] = value;
        let r = app.send(Method::PUT, &path, Some(&c), Some(body)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}: {}", r.body);
        assert_eq!(r.json()["error"], "validation");
        assert!(
            r.json()["fields"]["password"]
                .as_str()
                .unwrap_or("")
                .contains("Enter the password again"),
            "{field}: {}",
            r.body
        );
    }
    let stored = app.state.clusters.get(id).await.expect("get");
    assert_eq!(stored.fe_host, "fe1.example.com", "nothing changed");

    // Only the description changes: the stored password stays, as before.
    let mut body = prod();
    body.as_object_mut().expect("object").remove("password");
    body["description"] = json!("still the same target");
    let r = app.send(Method::PUT, &path, Some(&c), Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // With the password entered again, the new host is accepted.
    let mut body = prod();
    body["fe_host"] = json!("fe2.example.com");
    let r = app.send(Method::PUT, &path, Some(&c), Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // "Test connection" from the edit form, keeping the stored password, to a
    // host of the editor's choosing: refused before anything is contacted.
    let form = format!(
        "id={id}&cluster[name]=prod&cluster[fe_host]=127.0.0.1&cluster[http_port]=9&\
         cluster[query_port]=9030&cluster[username]=monitor&cluster[password]=&\
         cluster[use_https]=on&cluster[description]=&cluster[tags]="
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri("/sfn/test_cluster_connection")
        .header(header::COOKIE, &c)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .expect("request");
    let r = app.raw(req).await;
    let e: model::ApiError = serde_json::from_str(&r.body).expect("an ApiError");
    assert_eq!(e.kind, model::ApiErrorKind::Validation, "{}", r.body);
    assert!(e.field_errors().get("password").is_some(), "{}", r.body);
}
