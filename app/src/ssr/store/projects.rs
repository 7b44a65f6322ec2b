use super::new_id;
use crate::access::Actor;
use crate::api::projects::ProjectSummary;
use crate::domain::{NewMemberAccess, ProjectName, Role, Slug};
use crate::ssr::database::Db;
use sqlx::{Any, Row, Transaction};

/// The caller's membership of a project, found by slug: what every project page and server
/// function needs to authorise a request, in one query.
#[derive(Debug, Clone)]
pub struct Membership {
    pub project_id: String,
    pub slug: String,
    pub name: String,
    /// The caller's role and permission profile.
    pub actor: Actor,
    pub member_count: i64,
    pub invite_expiry_days: i64,
    pub new_member_access: NewMemberAccess,
    /// The primary colour (`#RRGGBB`), if the project chose one.
    pub brand_color: Option<String>,
    /// The ETag of the project's logo, if it has one.
    pub logo: Option<String>,
    /// An AI provider is set up (Tickets offers "Draft with AI").
    pub ai: bool,
    /// The account that created the project: marked on the Members page (issue 11, item 8).
    pub created_by: String,
}

/// Projects one person may create per hour (the first, made at sign-up, counts).
pub const PROJECTS_PER_HOUR: i64 = 10;

pub async fn created_since(db: &Db, user_id: &str, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM projects WHERE created_by = $1 AND created_at >= $2")
        .bind(user_id)
        .bind(since)
        .fetch_one(db)
        .await
}

/// Inserts the project if its slug is free; `false` when it is taken.
async fn try_insert(
    tx: &mut Transaction<'_, Any>,
    name: &ProjectName,
    slug: &Slug,
    owner_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let project_id = new_id();
    // ON CONFLICT rather than catching the unique violation: on PostgreSQL a failed statement
    // would abort the whole transaction.
    let inserted = sqlx::query(
        "INSERT INTO projects (id, slug, name, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(&project_id)
    .bind(slug.as_str())
    .bind(name.as_str())
    .bind(owner_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO members (project_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&project_id)
    .bind(owner_id)
    .bind(Role::Owner.key())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// Creates a project with exactly this slug, its creator as Owner; `false` if the slug is taken.
pub async fn create(
    db: &Db,
    name: &ProjectName,
    slug: &Slug,
    owner_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let created = try_insert(&mut tx, name, slug, owner_id, now).await?;
    tx.commit().await?;
    Ok(created)
}

/// Creates a project under the first free slug its name suggests (`acme`, `acme-2` …).
pub async fn insert_with_generated_slug(
    tx: &mut Transaction<'_, Any>,
    name: &ProjectName,
    owner_id: &str,
    now: i64,
) -> Result<Slug, sqlx::Error> {
    let base = Slug::suggest_base(name.as_str());
    for slug in Slug::candidates(&base).take(50) {
        if try_insert(tx, name, &slug, owner_id, now).await? {
            return Ok(slug);
        }
    }
    // Fifty namesakes: fall back to a random tail rather than scanning further.
    let random = new_id();
    let slug =
        Slug::parse(&format!("{base}-{}", &random[..8])).expect("hex tail keeps a slug valid");
    if try_insert(tx, name, &slug, owner_id, now).await? {
        Ok(slug)
    } else {
        Err(sqlx::Error::Protocol(
            "could not find a free project slug".into(),
        ))
    }
}

/// The first free slug a name suggests, for the live preview in the New Project form.
pub async fn suggest_free_slug(db: &Db, name: &str) -> Result<Slug, sqlx::Error> {
    let base = Slug::suggest_base(name);
    let taken: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM projects WHERE slug = $1 OR slug LIKE $2")
            .bind(&base)
            .bind(format!("{base}-%"))
            .fetch_all(db)
            .await?;
    let free = Slug::candidates(&base)
        .find(|c| !taken.iter().any(|t| t == c.as_str()))
        .expect("candidates are endless");
    Ok(free)
}

pub async fn slug_taken(db: &Db, slug: &Slug) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM projects WHERE slug = $1")
        .bind(slug.as_str())
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// Every project the person belongs to, with their role in it.
/// Where a newly signed-in person starts: the oldest project they own (the one made at sign-up).
pub async fn first_owned(db: &Db, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT p.slug FROM members m JOIN projects p ON p.id = m.project_id
         WHERE m.user_id = $1 AND m.role = 'owner' ORDER BY p.created_at, p.slug LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await
}

pub async fn list_for_user(db: &Db, user_id: &str) -> Result<Vec<ProjectSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id, p.slug, p.name, p.created_by, m.role, m.joined_at, m.permissions,
                m.all_services, (SELECT l.etag FROM project_logos l WHERE l.project_id = p.id) AS logo,
                (SELECT COUNT(*) FROM members c WHERE c.project_id = p.id) AS member_count
         FROM members m JOIN projects p ON p.id = m.project_id
         WHERE m.user_id = $1
         ORDER BY LOWER(p.name), p.slug",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    // The services of every project where the person has a list, in one query.
    let listed: Vec<(String, String)> = sqlx::query_as(
        "SELECT project_id, service_id FROM service_members WHERE user_id = $1 ORDER BY service_id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            let project_id: String = r.try_get("id")?;
            let permissions = super::permissions::from_listed(&r, &project_id, &listed)?;
            let role = role_column(&r)?;
            Ok(ProjectSummary {
                slug: r.try_get("slug")?,
                name: r.try_get("name")?,
                role,
                actor: Actor { role, permissions },
                logo: r.try_get("logo")?,
                joined_at: r.try_get("joined_at")?,
                member_count: r.try_get("member_count")?,
                created_by_you: r.try_get::<String, _>("created_by")? == user_id,
            })
        })
        .collect()
}

pub async fn membership(
    db: &Db,
    slug: &Slug,
    user_id: &str,
) -> Result<Option<Membership>, sqlx::Error> {
    let mut conn = db.acquire().await?;
    let row = sqlx::query(
        "SELECT p.id, p.slug, p.name, p.invite_expiry_days, p.created_by, m.role, p.new_member_access,
                m.permissions, m.all_services, p.brand_color,
                (SELECT l.etag FROM project_logos l WHERE l.project_id = p.id) AS logo,
                (SELECT COUNT(*) FROM project_ai a WHERE a.project_id = p.id) AS ai,
                (SELECT COUNT(*) FROM members c WHERE c.project_id = p.id) AS member_count
         FROM projects p JOIN members m ON m.project_id = p.id
         WHERE p.slug = $1 AND m.user_id = $2",
    )
    .bind(slug.as_str())
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let project_id: String = r.try_get("id")?;
    let permissions = super::permissions::from_row(&mut conn, &r, &project_id, user_id).await?;
    Ok(Some(Membership {
        project_id,
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        actor: Actor {
            role: role_column(&r)?,
            permissions,
        },
        member_count: r.try_get("member_count")?,
        invite_expiry_days: r.try_get("invite_expiry_days")?,
        new_member_access: super::decode(NewMemberAccess::parse(
            &r.try_get::<String, _>("new_member_access")?,
        ))?,
        brand_color: r.try_get("brand_color")?,
        logo: r.try_get("logo")?,
        ai: r.try_get::<i64, _>("ai")? > 0,
        created_by: r.try_get("created_by")?,
    }))
}

/// Deletes a project with everything that belongs to it (the foreign keys cascade), after the
/// emails of its pending invitations that have not gone out yet: a deleted project invites
/// nobody. Under the project's lock, so no membership change interleaves.
/// Deletes the project unless it still has services that are not cancelled: returns how many
/// it has (0 when it was deleted). Counted under the project lock, so a service the back
/// office adds at the same moment either stops the deletion or is deleted with the project.
pub async fn delete(db: &Db, project_id: &str) -> Result<i64, sqlx::Error> {
    let mut tx = super::members::begin_change(db, project_id).await?;
    let active = super::services::count_active(&mut tx, project_id).await?;
    if active > 0 {
        return Ok(active);
    }
    sqlx::query(
        "DELETE FROM outbox WHERE sent_at IS NULL AND id IN
           (SELECT outbox_id FROM invitations WHERE project_id = $1 AND outbox_id IS NOT NULL)",
    )
    .bind(project_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM projects WHERE id = $1")
        .bind(project_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(0)
}

pub async fn rename(db: &Db, project_id: &str, name: &ProjectName) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE projects SET name = $1 WHERE id = $2")
        .bind(name.as_str())
        .bind(project_id)
        .execute(db)
        .await?;
    Ok(())
}

fn role_column(row: &sqlx::any::AnyRow) -> Result<Role, sqlx::Error> {
    let key: String = row.try_get("role")?;
    Role::parse(&key).map_err(|e| sqlx::Error::Decode(e.into()))
}

pub async fn set_invite_expiry_days(
    db: &Db,
    project_id: &str,
    days: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE projects SET invite_expiry_days = $1 WHERE id = $2")
        .bind(days)
        .bind(project_id)
        .execute(db)
        .await?;
    Ok(())
}

/// The id of the project at `slug`, for callers that are not members (the operator API).
pub async fn id_by_slug(db: &Db, slug: &Slug) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM projects WHERE slug = $1")
        .bind(slug.as_str())
        .fetch_optional(db)
        .await
}

/// The project's default payment method, as the back office names it ("card •••• 4242"):
/// from the pool for a page, from the caller's transaction (under its lock) for a payment.
pub async fn payment_method<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    project_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT payment_method FROM projects WHERE id = $1")
        .bind(project_id)
        .fetch_one(db)
        .await
}

pub async fn set_payment_method(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    project_id: &str,
    label: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE projects SET payment_method = $1 WHERE id = $2")
        .bind(label)
        .bind(project_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A project as the back office looks it up: (id, name, payment method).
pub async fn lookup(
    db: &Db,
    slug: &Slug,
) -> Result<Option<(String, String, Option<String>)>, sqlx::Error> {
    let row = sqlx::query("SELECT id, name, payment_method FROM projects WHERE slug = $1")
        .bind(slug.as_str())
        .fetch_optional(db)
        .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .transpose()
}
