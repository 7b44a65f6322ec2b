//! The demo (`ROSTER_DEMO=1`): a demo customer in an empty database, and a **demo back office**
//! that carries out what its members ask, so `scripts/run.sh` shows a living product. Off unless
//! asked; everything it writes is named as a demo ("… (demo)", `@demo.roster.test`).
//!
//! Sign in as any of the five people below with [`PASSWORD`]; each has a different role in
//! Acme Web Shop.

use app::{
    domain::{
        Email, InvoiceStatus, MessageBody, OperationStatus, Password, PaymentStatus, PersonName,
        ProjectName, Role, ServiceKind, ServiceStatus, Slug, TicketSubject,
    },
    error::AppError,
    ssr::{
        clock::Clock,
        database::Db,
        invoices,
        live::Hub,
        password_hash, services,
        session::SessionUser,
        state::AppState,
        store::{
            invoices::{payments_in, NewInvoice},
            members, projects,
            services::{operations_in, ServiceFields},
            users,
        },
        tickets::{self, Writer},
    },
};
use std::time::Duration;

pub const PASSWORD: &str = "roster-demo-password";

/// The demo's people: (name, email, role in Acme Web Shop).
pub const PEOPLE: [(&str, &str, Role); 5] = [
    ("Olivia Owner", "owner@demo.roster.test", Role::Owner),
    ("Adam Admin", "admin@demo.roster.test", Role::Admin),
    ("Mia Member", "member@demo.roster.test", Role::Member),
    (
        "Dev Developer",
        "developer@demo.roster.test",
        Role::Developer,
    ),
    (
        "Alice Accountant",
        "accountant@demo.roster.test",
        Role::Accountant,
    ),
];

const DAY_MS: i64 = 24 * 3600 * 1000;

fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "demo seed");
    AppError::Internal
}

/// Fills an empty database with the demo customer; does nothing if it is there already.
pub async fn seed(state: &AppState) -> Result<(), AppError> {
    let db = &state.db;
    let owner_email = Email::parse(PEOPLE[0].1).map_err(internal)?;
    if users::credentials(db, &owner_email).await?.is_some() {
        return Ok(());
    }
    let now = state.clock.now_ms();
    let hash = password_hash::hash(Password::parse(PASSWORD).map_err(internal)?).await?;
    let mut ids = Vec::new();
    for (name, email, _) in PEOPLE {
        let mut tx = db.begin().await?;
        let registered = users::register(
            &mut tx,
            &PersonName::parse(name).map_err(internal)?,
            &Email::parse(email).map_err(internal)?,
            &hash,
            true,
            now,
        )
        .await?;
        tx.commit().await?;
        match registered {
            users::Registration::Created { user_id, .. } => ids.push(user_id),
            users::Registration::EmailTaken => return Ok(()),
        }
    }
    let shop = project(db, "Acme Web Shop", "acme-web-shop", &ids[0], now).await?;
    let internal_tools = project(
        db,
        "Acme Internal Tools",
        "acme-internal-tools",
        &ids[0],
        now,
    )
    .await?;
    for (i, (_, _, role)) in PEOPLE.iter().enumerate().skip(1) {
        let mut tx = members::begin_change(db, &shop).await?;
        members::add(&mut tx, &shop, &ids[i], *role, now).await?;
        tx.commit().await?;
    }
    let mut tx = members::begin_change(db, &internal_tools).await?;
    members::add(&mut tx, &internal_tools, &ids[3], Role::Admin, now).await?;
    tx.commit().await?;

    let live = &state.live;
    invoices::set_payment_method(db, live, &shop, Some("card •••• 4242 (demo)"), now).await?;
    let machines = [
        (
            ServiceKind::Vps,
            "web-1",
            "VPS 4 GB",
            "Amsterdam 2",
            ServiceStatus::Running,
        ),
        (
            ServiceKind::Vps,
            "web-2",
            "VPS 4 GB",
            "Amsterdam 2",
            ServiceStatus::Stopped,
        ),
        (
            ServiceKind::Iaas,
            "erp-vm",
            "VMware 8 vCPU",
            "Frankfurt 1",
            ServiceStatus::Running,
        ),
        (
            ServiceKind::Storage,
            "backups",
            "Object storage 500 GB",
            "Amsterdam 2",
            ServiceStatus::Running,
        ),
        (
            ServiceKind::Dns,
            "acme.example",
            "DNS zone",
            "Global",
            ServiceStatus::Running,
        ),
        (
            ServiceKind::Ssl,
            "shop.acme.example",
            "SSL DV",
            "Global",
            ServiceStatus::Running,
        ),
        (
            ServiceKind::Monitoring,
            "uptime",
            "Monitoring 50 checks",
            "Global",
            ServiceStatus::Provisioning,
        ),
    ];
    for (kind, name, plan, region, status) in machines {
        let fields = ServiceFields {
            kind,
            name,
            plan,
            region,
            status,
        };
        services::create(db, live, &shop, &fields, now).await?;
    }
    services::create(
        db,
        live,
        &internal_tools,
        &ServiceFields {
            kind: ServiceKind::Vps,
            name: "ci-runner",
            plan: "VPS 8 GB",
            region: "Frankfurt 1",
            status: ServiceStatus::Running,
        },
        now,
    )
    .await?;

    // Three invoices: one paid, one overdue, and this month's, not yet due.
    let today = now / DAY_MS * DAY_MS;
    for (number, days_ago, status) in [
        ("DEMO-2026-0009", 65, Some(InvoiceStatus::Paid)),
        ("DEMO-2026-0010", 35, None),
        ("DEMO-2026-0011", 5, None),
    ] {
        let issued_on = today - days_ago * DAY_MS;
        let lines = vec![
            ("web-1".to_owned(), "VPS 4 GB, one month".to_owned(), 2_400),
            ("web-2".to_owned(), "VPS 4 GB, one month".to_owned(), 2_400),
            (
                "erp-vm".to_owned(),
                "VMware 8 vCPU, one month".to_owned(),
                12_900,
            ),
            (
                "backups".to_owned(),
                "Object storage 500 GB".to_owned(),
                1_250,
            ),
            (
                "shop.acme.example".to_owned(),
                "SSL DV, monthly share".to_owned(),
                299,
            ),
        ];
        let total_minor = lines.iter().map(|l| l.2).sum();
        let id = invoices::issue(
            db,
            live,
            &shop,
            &NewInvoice {
                number,
                issued_on,
                period_start: issued_on - 30 * DAY_MS,
                period_end: issued_on - DAY_MS,
                due_on: issued_on + 14 * DAY_MS,
                currency: "EUR",
                total_minor,
                lines: &lines,
            },
            now,
        )
        .await?;
        if let Some(status) = status {
            invoices::set_status(db, live, &id, status, now).await?;
        }
    }

    // A ticket answered by the staff, waiting for the customer.
    let mia = SessionUser {
        user_id: ids[2].clone(),
        name: PEOPLE[2].0.to_owned(),
        email: PEOPLE[2].1.to_owned(),
        email_confirmed: true,
        token_hash: String::new(),
    };
    let number = tickets::open(
        db,
        live,
        &shop,
        &mia,
        &TicketSubject::parse("web-2 does not start after the kernel update").map_err(internal)?,
        &MessageBody::parse(
            "Since this morning web-2 hangs at “Loading initrd”. Can you have a look?",
        )
        .map_err(internal)?,
        now,
    )
    .await?;
    tickets::reply(
        db,
        live,
        &shop,
        &Writer::Staff { name: "Sam from Support (demo)" },
        number,
        &MessageBody::parse("We rolled the kernel back on the host. Please start web-2 again and tell us if it boots.")
            .map_err(internal)?,
        now,
    )
    .await?;
    tracing::info!(
        "demo: sign in as {} (or admin@, member@, developer@, accountant@demo.roster.test) with the password {PASSWORD}",
        PEOPLE[0].1
    );
    Ok(())
}

async fn project(
    db: &Db,
    name: &str,
    slug: &str,
    owner: &str,
    now: i64,
) -> Result<String, AppError> {
    let slug = Slug::parse(slug).map_err(internal)?;
    projects::create(
        db,
        &ProjectName::parse(name).map_err(internal)?,
        &slug,
        owner,
        now,
    )
    .await?;
    projects::id_by_slug(db, &slug)
        .await?
        .ok_or(AppError::Internal)
}

/// How long the demo back office takes for each step.
const STEP: Duration = Duration::from_secs(3);

/// The demo back office: starts every queued operation, finishes it a step later, and confirms
/// every pending payment (until the server stops it).
pub async fn back_office(db: Db, clock: Clock, live: Hub) {
    tracing::info!(
        "demo back office started: operations and payments complete after a few seconds"
    );
    loop {
        if let Err(e) = step(&db, &clock, &live).await {
            tracing::warn!(error = %e, "demo back office");
        }
        tokio::time::sleep(STEP).await;
    }
}

async fn step(db: &Db, clock: &Clock, live: &Hub) -> Result<(), AppError> {
    // Finish what was started last step, then start what is queued.
    for op in operations_in(db, OperationStatus::Running, 100).await? {
        services::advance(
            db,
            live,
            &op.operation.id,
            OperationStatus::Done,
            Some("Done by the demo back office."),
            clock.now_ms(),
        )
        .await?;
    }
    for op in operations_in(db, OperationStatus::Queued, 100).await? {
        services::advance(
            db,
            live,
            &op.operation.id,
            OperationStatus::Running,
            None,
            clock.now_ms(),
        )
        .await?;
    }
    for payment in payments_in(db, PaymentStatus::Pending, 100).await? {
        invoices::answer_payment(
            db,
            live,
            &payment.id,
            PaymentStatus::Confirmed,
            None,
            clock.now_ms(),
        )
        .await?;
    }
    Ok(())
}
