//! Forms that post to a server function: a plain form post without JavaScript, sent in place
//! with it.
//!
//! Why not leptos' `ActionForm`/`ServerAction`: in the browser they parse the form into the
//! function's typed arguments (serde_qs's parser) only to serialise them again for the request,
//! one copy of that code per server function: about 5% of the app's WASM before this (issue 8).
//! The form's own urlencoded body is already what the server function reads (it is what a
//! browser without JavaScript sends), so [`ActionForm`] sends that body as it is, and only the
//! reply is typed. The protocol is server_fn's own: the same request headers, error statuses,
//! error encoding and redirect hook as a server-function call.

use crate::error::AppError;
use leptos::html::Form;
use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::server_fn::{
    client::Client,
    codec::{FromRes, Json, PostUrl},
    error::{FromServerFnError, ServerFnUrlError},
    redirect::call_redirect_hook,
    request::ClientReq,
    response::ClientRes,
    ContentType, Http, ServerFn,
};
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{FormData, HtmlButtonElement, HtmlFormElement, SubmitEvent, UrlSearchParams};
use std::marker::PhantomData;

/// The state of one server function's form submissions: what the last one returned and how
/// many have completed. Its input is the form's urlencoded body.
pub struct FormAction<S: ServerFn> {
    action: Action<String, Result<S::Output, S::Error>>,
    server_fn: PhantomData<fn() -> S>,
}

impl<S: ServerFn> Clone for FormAction<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ServerFn> Copy for FormAction<S> {}

type Response<S> = <<S as ServerFn>::Client as Client<AppError>>::Response;

impl<S> FormAction<S>
where
    S: ServerFn<Protocol = Http<PostUrl, Json>, Error = AppError>,
    S::Output: FromRes<Json, Response<S>, AppError> + Send + Sync + 'static,
    S::Client: Client<AppError> + 'static,
{
    pub fn new() -> Self {
        Self {
            action: action_at::<S::Output, S::Client>(S::PATH),
            server_fn: PhantomData,
        }
    }
}

impl<S> Default for FormAction<S>
where
    S: ServerFn<Protocol = Http<PostUrl, Json>, Error = AppError>,
    S::Output: FromRes<Json, Response<S>, AppError> + Send + Sync + 'static,
    S::Client: Client<AppError> + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<S: ServerFn> FormAction<S>
where
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    /// What the last submission returned (or the error a plain-form post came back with).
    pub fn value(&self) -> MappedSignal<Option<Result<S::Output, S::Error>>> {
        self.action.value()
    }

    /// How many submissions have completed.
    pub fn version(&self) -> RwSignal<usize> {
        self.action.version()
    }

    /// Sends a urlencoded body, as the form would.
    pub fn submit(&self, body: String) {
        self.action.dispatch(body);
    }
}

/// One action per reply type, not per server function: the path is data.
fn action_at<O, C>(path: &'static str) -> Action<String, Result<O, AppError>>
where
    O: FromRes<Json, C::Response, AppError> + Send + Sync + 'static,
    C: Client<AppError> + 'static,
{
    // A plain-form post that failed comes back with its error in the address; it shows as
    // this action's result, as with leptos' `ServerAction`.
    let failed = use_context::<ServerActionError>()
        .filter(|e| e.path() == path)
        .map(|e| Err(ServerFnUrlError::<AppError>::decode_err(e.err())));
    Action::new_with_value(failed, move |body: &String| {
        post::<O, C>(path, body.clone())
    })
}

/// server_fn's client half of `Http<PostUrl, Json>`, with the body already encoded.
async fn post<O, C>(path: &str, body: String) -> Result<O, AppError>
where
    O: FromRes<Json, C::Response, AppError>,
    C: Client<AppError>,
{
    let req = C::Request::try_new_post(path, PostUrl::CONTENT_TYPE, Json::CONTENT_TYPE, body)?;
    let res = C::send(req).await?;
    let status = res.status();
    let location = res.location();
    let redirected = res.has_redirect();
    let output = if (400..=599).contains(&status) {
        Err(AppError::de(res.try_into_bytes().await?))
    } else {
        O::from_res(res).await
    }?;
    if (300..=399).contains(&status) || redirected {
        call_redirect_hook(&location);
    }
    Ok(output)
}

/// A form posting to `action`'s server function.
#[component]
pub fn ActionForm<S>(
    action: FormAction<S>,
    #[prop(optional)] node_ref: Option<NodeRef<Form>>,
    children: Children,
) -> impl IntoView
where
    S: ServerFn + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    post_form(
        S::PATH,
        Callback::new(move |body| action.submit(body)),
        node_ref.unwrap_or_default(),
        children,
    )
}

/// The form itself, the same for every server function.
fn post_form(
    path: &'static str,
    send: Callback<String>,
    node_ref: NodeRef<Form>,
    children: Children,
) -> AnyView {
    let on_submit = move |ev: SubmitEvent| {
        if ev.default_prevented() {
            return;
        }
        ev.prevent_default();
        if let Some(body) = body_of(&ev) {
            send.run(body);
        }
    };
    view! {
        <form action=path method="post" node_ref=node_ref on:submit=on_submit>
            {children()}
        </form>
    }
    .into_any()
}

/// The urlencoded body a browser would post for this submission, the submit button's own
/// name and value included.
fn body_of(ev: &SubmitEvent) -> Option<String> {
    let form: HtmlFormElement = ev.target()?.dyn_into().ok()?;
    let data = FormData::new_with_form(&form).ok()?;
    if let Some(button) = ev
        .submitter()
        .and_then(|s| s.dyn_into::<HtmlButtonElement>().ok())
    {
        if !button.name().is_empty() {
            data.append_with_str(&button.name(), &button.value()).ok()?;
        }
    }
    let params = UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
    params.to_string().as_string()
}
