//! Tagging requests and following them: `RequestId` marks each request so a late answer to
//! an older one is recognised and dropped; `Remote` is something fetched, in one of four
//! states.

/// Tags a request so that a late answer to an older request is recognised and dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequestId(pub u64);

/// Something fetched over the network (or from a source), in one of four states.
#[derive(Debug, Clone, PartialEq)]
pub enum Remote<T, E = String> {
    Idle,
    Loading(RequestId),
    Loaded(T),
    Failed(E),
}

impl<T, E> Remote<T, E> {
    pub fn loaded(&self) -> Option<&T> {
        match self {
            Remote::Loaded(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Remote::Loading(_))
    }
}
