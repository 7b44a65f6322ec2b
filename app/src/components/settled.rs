//! A part of a page that reads only data its `<Suspense>`/`<Transition>` already waits for.
//!
//! On the server a boundary walks its children twice before rendering them (`dry_resolve`:
//! once to find the resources they read, once more when those have loaded, to find reads that
//! depended on them), and every reactive closure on the way builds its view to be walked, then
//! drops it. A `<For>` is such a closure: once the data had loaded, the Members page built its
//! 250 rows twice, once to be walked and once to be rendered. Wrapped in [`Settled`], the walk
//! skips the part: it is built once, when it is rendered.
//!
//! For the same reason it has nothing to resolve: before rendering, the server resolves a page
//! by rebuilding every view in it (each type-erased view boxed again, each list of children
//! joined as futures) so that the async parts can finish. A [`Settled`] part has none, so it
//! is rendered as built (on the Members bench: 70 → 89 pages/s on SQLite, 105 → 116 on
//! PostgreSQL; the HTML is the same byte for byte).
//!
//! Only for parts whose data are already in hand (memos of a resource the boundary reads
//! itself, as on Members, or the value a `Suspend` awaited, as on Services and Invoices) and
//! that hold nothing async (no `Suspend`, no resource read): a resource read inside is no longer
//! waited for (its first value would render as loading). In the browser it changes nothing.

use leptos::tachys::{
    html::attribute::{any_attribute::AnyAttribute, Attribute},
    hydration::Cursor,
    ssr::StreamBuilder,
    view::{add_attr::AddAnyAttr, Position, PositionState, Render, RenderHtml},
};

/// See the module's documentation.
pub struct Settled<V>(pub V);

impl<V: Render> Render for Settled<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state)
    }
}

impl<V: AddAnyAttr> AddAnyAttr for Settled<V> {
    type Output<A: Attribute> = Settled<V::Output<A>>;

    fn add_any_attr<A: Attribute>(self, attr: A) -> Self::Output<A>
    where
        Self::Output<A>: RenderHtml,
    {
        Settled(self.0.add_any_attr(attr))
    }
}

impl<V: RenderHtml> RenderHtml for Settled<V> {
    type AsyncOutput = Self;
    type Owned = Settled<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;

    /// The point of the type: nothing inside reads a resource, so there is nothing to find.
    fn dry_resolve(&mut self) {}

    /// Nothing inside waits for anything, so it is already resolved.
    async fn resolve(self) -> Self::AsyncOutput {
        self
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs)
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) where
        Self: Sized,
    {
        self.0.to_html_async_with_buf::<OUT_OF_ORDER>(
            buf,
            position,
            escape,
            mark_branches,
            extra_attrs,
        )
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    async fn hydrate_async(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        self.0.hydrate_async(cursor, position).await
    }

    fn into_owned(self) -> Self::Owned {
        Settled(self.0.into_owned())
    }
}
