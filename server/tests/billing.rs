//! Settings → Billing (issue 10): Owners, Admins and Accountants manage billing accounts; the
//! first is the default, another can be made the default, removing the default promotes the
//! oldest left; Members and Developers are refused; bad fields are named; another project's
//! account is not there; the back office reads them.

mod support;

use reqwest::{Method, StatusCode};
use support::*;

fn account<'a>(name: &'a str, tax: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", "acme-web"),
        ("company_name", name),
        ("tax_id", tax),
        ("address", "Keizersgracht 1\r\n1015 CJ Amsterdam"),
        ("billing_email", "billing@example.com"),
    ]
}

async fn accounts(b: &Browser<'_>) -> serde_json::Value {
    b.ok("billing", &[("slug", "acme-web")]).await["accounts"].clone()
}

#[tokio::test]
async fn owners_admins_and_accountants_manage_billing_accounts() {
    let app = with_operator().await;
    let ada = project_with_owner(&app).await;
    let grace = join(&app, &ada, "Grace", "grace@example.com", "member").await;
    let dennis = join(&app, &ada, "Dennis", "dennis@example.com", "developer").await;
    let ken = join(&app, &ada, "Ken", "ken@example.com", "accountant").await;
    for b in [&grace, &dennis] {
        b.fails("billing", &[("slug", "acme-web")], StatusCode::FORBIDDEN)
            .await;
        b.fails(
            "add_billing_account",
            &account("Evil Corp", "XX1"),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    ken.ok(
        "add_billing_account",
        &account("Acme B.V.", "nl123456789b01"),
    )
    .await;
    ada.ok("add_billing_account", &account("Acme GmbH", "DE123456789"))
        .await;
    let list = accounts(&ken).await;
    assert_eq!(list[0]["company_name"], "Acme B.V.");
    assert_eq!(list[0]["is_default"], true, "the first is the default");
    assert_eq!(list[0]["tax_id"], "NL123456789B01");
    assert_eq!(list[0]["address"], "Keizersgracht 1\n1015 CJ Amsterdam");
    assert_eq!(list[1]["is_default"], false);
    let gmbh = list[1]["id"].as_str().unwrap().to_owned();
    let bv = list[0]["id"].as_str().unwrap().to_owned();

    ken.ok(
        "change_billing_account",
        &[("slug", "acme-web"), ("id", &gmbh), ("change", "default")],
    )
    .await;
    let list = accounts(&ada).await;
    assert_eq!(
        list[0]["company_name"], "Acme GmbH",
        "the default first: {list}"
    );
    assert_eq!(list[1]["is_default"], false);
    ada.ok(
        "change_billing_account",
        &[("slug", "acme-web"), ("id", &gmbh), ("change", "remove")],
    )
    .await;
    let list = accounts(&ada).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], bv.as_str());
    assert_eq!(list[0]["is_default"], true, "the one left is the default");

    // The back office reads them with the project.
    let (_, project) = operator(&app, Method::GET, "/projects/acme-web", Some(TOKEN), None).await;
    assert_eq!(project["billing_accounts"][0]["company_name"], "Acme B.V.");
    // The history says who did it.
    let log = members(&ada).await.to_string();
    for kind in [
        "billing_account_added",
        "billing_account_default",
        "billing_account_removed",
    ] {
        assert!(log.contains(kind), "{kind}");
    }
}

#[tokio::test]
async fn bad_fields_and_other_projects_accounts_are_refused() {
    let app = spawn().await;
    let ada = project_with_owner(&app).await;
    let err = ada
        .fails(
            "add_billing_account",
            &[
                ("slug", "acme-web"),
                ("company_name", " "),
                ("tax_id", "x"),
                ("address", ""),
                ("billing_email", "not-an-address"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await
        .to_string();
    for field in ["company_name", "tax_id", "address", "billing_email"] {
        assert!(err.contains(field), "{field} is named: {err}");
    }
    // Eve's account is not in Ada's project, whatever the id says.
    let eve = app.browser();
    eve.sign_up("Eve", "eve@example.com").await;
    eve.ok("create_project", &[("name", "Eve Shop"), ("slug", "")])
        .await;
    let mut form = account("Eve Ltd", "GB123456789");
    form[0] = ("slug", "eve-shop");
    eve.ok("add_billing_account", &form).await;
    let eves = eve.ok("billing", &[("slug", "eve-shop")]).await["accounts"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for change in ["default", "remove"] {
        ada.fails(
            "change_billing_account",
            &[("slug", "acme-web"), ("id", &eves), ("change", change)],
            StatusCode::NOT_FOUND,
        )
        .await;
        eve.fails(
            "change_billing_account",
            &[("slug", "acme-web"), ("id", &eves), ("change", change)],
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    ada.fails(
        "change_billing_account",
        &[("slug", "acme-web"), ("id", &eves), ("change", "steal")],
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM billing_accounts").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM billing_accounts WHERE is_default = 1")
            .await,
        1
    );
}
