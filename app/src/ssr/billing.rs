//! The rules of billing accounts (issue 10): Owners, Admins and Accountants manage them, under
//! the project lock, recorded in the activity log (the live event for open pages).

use super::{
    authorize,
    database::Db,
    live::Hub,
    session::SessionUser,
    store::{
        activity::{self, Kind},
        billing_accounts::{self as store, NewAccount},
        is_id,
    },
};
use crate::{
    access::{Action, Scope},
    error::AppError,
};

/// Billing accounts one project may have.
pub const MAX_ACCOUNTS: i64 = 20;

pub enum Change<'a> {
    Add(NewAccount<'a>),
    MakeDefault(&'a str),
    Remove(&'a str),
}

/// Applies `change`; returns the company name it concerned.
pub async fn change(
    db: &Db,
    live: &Hub,
    project_id: &str,
    user: &SessionUser,
    change: Change<'_>,
    now: i64,
) -> Result<String, AppError> {
    let mut tx =
        authorize::lock_for(db, project_id, user, Action::PayInvoices, Scope::Project).await?;
    let missing = || AppError::NotFound("This project has no such billing account.".into());
    let (kind, name) = match change {
        Change::Add(account) => {
            if store::count(&mut tx, project_id).await? >= MAX_ACCOUNTS {
                return Err(AppError::conflict(
                    "",
                    format!(
                        "A project has at most {MAX_ACCOUNTS} billing accounts; remove one first."
                    ),
                ));
            }
            store::insert(&mut tx, project_id, &account, now).await?;
            (Kind::BillingAccountAdded, account.company_name.to_owned())
        }
        Change::MakeDefault(id) | Change::Remove(id) if !is_id(id) => return Err(missing()),
        Change::MakeDefault(id) => {
            let name = store::name_of(&mut tx, project_id, id)
                .await?
                .ok_or_else(missing)?;
            store::make_default(&mut tx, project_id, id).await?;
            (Kind::BillingAccountDefault, name)
        }
        Change::Remove(id) => {
            let name = store::name_of(&mut tx, project_id, id)
                .await?
                .ok_or_else(missing)?;
            store::delete(&mut tx, project_id, id).await?;
            (Kind::BillingAccountRemoved, name)
        }
    };
    let who = (Some(user.user_id.as_str()), user.name.as_str());
    activity::record_thing(&mut tx, project_id, kind, who, &name, None, now).await?;
    live.commit(tx, project_id).await?;
    Ok(name)
}
