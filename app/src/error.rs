//! The one error type of the API layer: what a server function can answer, shared by browser and
//! server. Messages are written for the person at the keyboard; internals stay in the logs.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// A problem with one form field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// One or more fields did not parse. 422.
    #[error("{}", first_message(.0))]
    Invalid(Vec<FieldError>),
    /// The request is well-formed but clashes with what exists (a taken slug). 409.
    #[error("{}", first_message(.0))]
    Conflict(Vec<FieldError>),
    /// Sign-in failed; deliberately the same whether or not the account exists. 401.
    #[error("Email or password is incorrect.")]
    BadCredentials,
    /// No valid session. 401.
    #[error("Please sign in to continue.")]
    Unauthenticated,
    /// Signed in but not allowed. 403.
    #[error("{0}")]
    Forbidden(String),
    /// Not there, or not visible to this account (the two are indistinguishable on purpose). 404.
    #[error("{0}")]
    NotFound(String),
    /// Existed once and is no longer usable (an expired invitation). 410.
    #[error("{0}")]
    Gone(String),
    /// Too many attempts. 429.
    #[error("{0}")]
    RateLimited(String),
    /// Our fault; details are in the server log. 500.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The request never got a proper answer (network down, malformed response).
    #[error("Could not reach Roster: {0}")]
    Transport(String),
    /// A project's AI provider failed or refused; the reason in words. 502.
    #[error("{0}")]
    Provider(String),
}

fn first_message(errors: &[FieldError]) -> &str {
    errors.first().map(|e| e.message.as_str()).unwrap_or("")
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        Self::Conflict(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    /// The message for one field, if this error is about it.
    pub fn for_field(&self, field: &str) -> Option<String> {
        match self {
            Self::Invalid(errors) | Self::Conflict(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// The message to show at the top of a form: field errors are shown by their fields.
    pub fn form_message(&self) -> Option<String> {
        match self {
            // Errors not tied to a field (a malformed submission) still need a place to show.
            Self::Invalid(errors) | Self::Conflict(errors) => errors
                .iter()
                .find(|e| e.field.is_empty())
                .map(|e| e.message.clone()),
            other => Some(other.to_string()),
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::Invalid(_) => 422,
            Self::Conflict(_) => 409,
            Self::BadCredentials | Self::Unauthenticated => 401,
            Self::Forbidden(_) => 403,
            Self::NotFound(_) => 404,
            Self::Gone(_) => 410,
            Self::RateLimited(_) => 429,
            Self::Internal => 500,
            Self::Transport(_) | Self::Provider(_) => 502,
        }
    }
}

/// Collects field parse results so a form reports every bad field at once, not one per submit.
#[derive(Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        parsed
            .map_err(|message| {
                self.0.push(FieldError {
                    field: field.to_owned(),
                    message,
                })
            })
            .ok()
    }

    /// The collected problems as one error (call only after a check failed).
    pub fn into_error(self) -> AppError {
        AppError::Invalid(self.0)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not even deserialize (a missing or forged field) are bad input.
            ServerFnErrorErr::Args(msg) => Self::Invalid(vec![FieldError {
                field: String::new(),
                message: format!("The form was incomplete or malformed: {msg}"),
            }]),
            ServerFnErrorErr::Request(msg) | ServerFnErrorErr::Response(msg) => {
                Self::Transport(msg)
            }
            ServerFnErrorErr::MissingArg(msg) => Self::Invalid(vec![FieldError {
                field: String::new(),
                message: format!("Missing field: {msg}"),
            }]),
            // A body that is not even text (invalid UTF-8) or not of the expected format.
            ServerFnErrorErr::Deserialization(msg) => Self::Invalid(vec![FieldError {
                field: String::new(),
                message: format!("The request could not be read: {msg}"),
            }]),
            _ => Self::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error");
        Self::Internal
    }
}
