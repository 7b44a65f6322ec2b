//! `Idempotency-Key` on the operator API's POST calls: the back office retries a create after
//! a timeout without creating twice. The first call claims the key (a row with status 0)
//! before it acts, so a concurrent retry waits its turn (409) instead of acting too; the
//! answer is stored with the key and replayed to every retry for a day. A retry with the
//! same key but another body is refused: it is a different call reusing a key by mistake.

use super::ApiError;
use crate::routes::ServerState;
use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};
use sqlx::Row;

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotent-replayed";
/// How long a key is remembered.
const KEEP_MS: i64 = 24 * 3600 * 1000;
/// Bodies in and out are small JSON; anything larger was refused by the body limit already.
const MAX_BODY: usize = 256 * 1024;

fn refuse(status: StatusCode, message: &str) -> Response {
    ApiError(status, message.to_owned()).into_response()
}

pub async fn remember(State(state): State<ServerState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(raw) = req.headers().get(HEADER) else {
        return next.run(req).await;
    };
    let key = match raw.to_str() {
        Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => {
            k.to_owned()
        }
        _ => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "Idempotency-Key must be 1–255 visible ASCII characters.",
            )
        }
    };
    let scope = format!("{} {}", req.method(), req.uri().path());
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is too large.",
        );
    };
    let fingerprint = format!("{:x}", Sha256::digest(&bytes));
    match claim(&state, &scope, &key, &fingerprint).await {
        Ok(None) => {}
        Ok(Some(earlier)) => return earlier,
        Err(e) => return ApiError::from(e).into_response(),
    }
    let res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (mut parts, body) = res.into_parts();
    let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
    let db = &state.app.db;
    let stored = if parts.status.is_server_error() {
        // Our failure is not an answer: let the retry try again.
        sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2")
            .bind(&scope)
            .bind(&key)
            .execute(db)
            .await
    } else {
        sqlx::query(
            "UPDATE idempotency_keys SET status = $1, body = $2 WHERE scope = $3 AND key = $4",
        )
        .bind(i64::from(parts.status.as_u16()))
        .bind(String::from_utf8_lossy(&bytes).into_owned())
        .bind(&scope)
        .bind(&key)
        .execute(db)
        .await
    };
    if let Err(e) = stored {
        // The call was carried out; only its memory failed. Say so in the log, answer it.
        tracing::error!("idempotency key not stored: {e}");
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// Claims `key` for this call (`None`: go ahead), or the answer to give instead.
async fn claim(
    state: &ServerState,
    scope: &str,
    key: &str,
    fingerprint: &str,
) -> Result<Option<Response>, sqlx::Error> {
    let db = &state.app.db;
    let now = state.app.clock.now_ms();
    sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(now - KEEP_MS)
        .execute(db)
        .await?;
    let claimed = sqlx::query(
        "INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, created_at)
         VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (scope, key) DO NOTHING",
    )
    .bind(scope)
    .bind(key)
    .bind(fingerprint)
    .bind(now)
    .execute(db)
    .await?
    .rows_affected()
        == 1;
    if claimed {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT fingerprint, status, body FROM idempotency_keys WHERE scope = $1 AND key = $2",
    )
    .bind(scope)
    .bind(key)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        // Released a moment ago by a call that failed on our side: this one may not act in
        // its place without a claim, so it asks for a retry.
        return Ok(Some(busy()));
    };
    let (earlier, status, body): (String, i64, String) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    if earlier != fingerprint {
        return Ok(Some(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This Idempotency-Key was already used for a call with a different body.",
        )));
    }
    if status == 0 {
        return Ok(Some(busy()));
    }
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let json = !body.is_empty();
    let mut res = (status, body).into_response();
    let headers = res.headers_mut();
    if json {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    Ok(Some(res))
}

fn busy() -> Response {
    let mut res = refuse(
        StatusCode::CONFLICT,
        "A call with this Idempotency-Key is still being answered; retry in a moment.",
    );
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    res
}
