//! A project's appearance (Settings → Appearance; seed 004): primary colour and logo.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
#[cfg(feature = "ssr")]
use leptos::server_fn::ServerFn;

#[cfg(feature = "ssr")]
use crate::{
    access::Action,
    domain::BrandColor,
    ssr::{
        authorize,
        branding::{self, Change},
        logo,
        request::{app_state, finish_form, redirect_with_notice},
    },
};

/// Sets the primary colour: a hex code (a swatch posts its own), or empty for Roster's own.
#[server(endpoint = "set_brand_color")]
pub async fn set_brand_color(slug: String, color: String) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::EditSettings).await?;
        let color = match color.trim() {
            "" => None,
            typed => Some(BrandColor::parse(typed).map_err(|m| AppError::invalid("color", m))?),
        };
        let notice = match color {
            Some(_) => "Primary colour saved.",
            None => "The primary colour is Roster's own again.",
        };
        save(&user, &project, Change::Color(color.as_ref()), notice).await
    }
    .await;
    finish_form(SetBrandColor::PATH, &[("color", &color)], result)
}

/// Uploads the logo: a multipart form with `slug` and the file as `logo` (PNG, JPEG or WebP,
/// at most 512 KB). It is decoded and re-encoded before it is stored.
#[server(endpoint = "upload_logo", input = MultipartFormData)]
pub async fn upload_logo(data: MultipartData) -> Result<(), AppError> {
    let result =
        async {
            let mut form = data.into_inner().ok_or(AppError::Internal)?;
            let (mut slug, mut bytes) = (String::new(), Vec::new());
            while let Some(mut field) = form.next_field().await.map_err(|_| {
                AppError::invalid("logo", "The upload could not be read; try again.")
            })? {
                match field.name() {
                    Some("slug") => {
                        slug = field
                            .text()
                            .await
                            .map_err(|_| AppError::invalid("slug", "Not text."))?;
                    }
                    Some("logo") => {
                        while let Some(chunk) = field.chunk().await.map_err(|_| {
                            AppError::invalid("logo", "The upload could not be read; try again.")
                        })? {
                            // One byte over the limit is enough to refuse it.
                            let room = (logo::MAX_BYTES + 1).saturating_sub(bytes.len());
                            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                        }
                    }
                    _ => {}
                }
            }
            let (user, project) = authorize::project_action(&slug, Action::EditSettings).await?;
            let checked = logo::process(&bytes).map_err(|m| AppError::invalid("logo", m))?;
            save(&user, &project, Change::Logo(&checked), "Logo saved.").await
        }
        .await;
    finish_form(UploadLogo::PATH, &[], result)
}

#[server(endpoint = "remove_logo")]
pub async fn remove_logo(slug: String) -> Result<(), AppError> {
    let result = async {
        let (user, project) = authorize::project_action(&slug, Action::EditSettings).await?;
        save(
            &user,
            &project,
            Change::RemoveLogo,
            "Logo removed: the default is back.",
        )
        .await
    }
    .await;
    finish_form(RemoveLogo::PATH, &[], result)
}

/// Applies an authorised `change` to the project's appearance and sends a plain form back to
/// Settings with `notice`.
#[cfg(feature = "ssr")]
async fn save(
    user: &crate::ssr::session::SessionUser,
    project: &crate::ssr::store::projects::Membership,
    change: Change<'_>,
    notice: &str,
) -> Result<(), AppError> {
    let state = app_state()?;
    branding::change(
        &state.db,
        &state.live,
        &project.project_id,
        user,
        change,
        state.clock.now_ms(),
    )
    .await?;
    redirect_with_notice(&format!("/p/{}/settings", project.slug), Some(notice));
    Ok(())
}
