//! The rules of a project's appearance (seed 004): Team Owners and Team Admins (those who edit
//! settings) set the primary colour and the logo. Each change is an activity entry, and so a
//! live event: every open page of the project picks the new look up.

use super::{
    authorize,
    database::Db,
    live::Hub,
    logo::Logo,
    session::SessionUser,
    store::{
        activity::{self, Kind},
        branding as store,
    },
};
use crate::{
    access::{Action, Scope},
    domain::BrandColor,
    error::AppError,
};

pub enum Change<'a> {
    /// `None`: back to Roster's own colour.
    Color(Option<&'a BrandColor>),
    Logo(&'a Logo),
    RemoveLogo,
}

pub async fn change(
    db: &Db,
    live: &Hub,
    project_id: &str,
    user: &SessionUser,
    change: Change<'_>,
    now: i64,
) -> Result<(), AppError> {
    let mut tx =
        authorize::lock_for(db, project_id, user, Action::EditSettings, Scope::Project).await?;
    let (kind, what) = match change {
        Change::Color(color) => {
            store::set_color(&mut tx, project_id, color.map(BrandColor::as_str)).await?;
            (
                Kind::BrandColorChanged,
                color.map_or("Roster's default".to_owned(), |c| c.to_string()),
            )
        }
        Change::Logo(logo) => {
            store::set_logo(&mut tx, project_id, &logo.png, &logo.etag, now).await?;
            (Kind::LogoChanged, "a new logo".to_owned())
        }
        Change::RemoveLogo => {
            if !store::remove_logo(&mut tx, project_id).await? {
                return Ok(());
            }
            (Kind::LogoChanged, "the default logo".to_owned())
        }
    };
    let who = (Some(user.user_id.as_str()), user.name.as_str());
    activity::record_thing(&mut tx, project_id, kind, who, &what, None, now).await?;
    live.commit(tx, project_id).await?;
    Ok(())
}
