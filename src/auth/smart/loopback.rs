//! The loopback redirect of a native app (RFC 8252 section 7.3): a listener on
//! `127.0.0.1:PORT` that waits for the browser's `GET /callback?code=…&state=…`, answers it
//! with a small page saying the tab can be closed, and hands back the code once its `state`
//! matched exactly. Other requests (a favicon, a probe) get 404 and are ignored. It also
//! reads the same redirect when the user pastes it instead. It never prints the code.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use super::error::AuthError;

/// The path of the redirect URI.
pub const CALLBACK_PATH: &str = "/callback";

/// The most of a request read before giving up on it.
const MAX_REQUEST: usize = 16 * 1024;

/// A bound listener for the browser's redirect.
#[derive(Debug)]
pub(crate) struct Loopback {
    listener: TcpListener,
    port: u16,
}

/// What the redirect must carry to be accepted.
pub(crate) struct Expected<'a> {
    pub state: &'a str,
    /// The authorization server's issuer: when the redirect names one (`iss`, RFC 9207)
    /// it must be this one.
    pub issuer: Option<&'a str>,
}

impl Loopback {
    /// Listen on 127.0.0.1 (never on all interfaces), on `port` or any free port if 0.
    pub async fn bind(port: u16) -> Result<Loopback, AuthError> {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| {
                AuthError::Listener(format!(
                    "could not listen on 127.0.0.1:{port} for the browser's answer ({e}); choose another port"
                ))
            })?;
        let port = listener
            .local_addr()
            .map_err(|e| AuthError::Listener(format!("the loopback listener failed ({e})")))?
            .port();
        Ok(Loopback { listener, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT/callback`.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// Wait for the redirect and return its authorization code. A redirect with the wrong
    /// state or an `error` ends the wait with that error (the browser is told too).
    pub async fn wait(&self, expected: &Expected<'_>) -> Result<String, AuthError> {
        loop {
            let Ok((stream, _)) = self.listener.accept().await else {
                // Out of file descriptors, say: wait a little rather than spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            if let Some(result) = serve(stream, expected).await {
                return result;
            }
        }
    }
}

/// Answer one connection; `None` when it was not the redirect.
async fn serve(
    mut stream: TcpStream,
    expected: &Expected<'_>,
) -> Option<Result<String, AuthError>> {
    let target = match tokio::time::timeout(Duration::from_secs(10), read_target(&mut stream)).await
    {
        Ok(Some(t)) => t,
        _ => {
            let _ = respond(&mut stream, "400 Bad Request", "Bad request.\n").await;
            return None;
        }
    };
    let path = target.split('?').next().unwrap_or("");
    if path != CALLBACK_PATH {
        let _ = respond(&mut stream, "404 Not Found", "Not found.\n").await;
        return None;
    }
    let result = parse_query(
        target.split_once('?').map(|(_, q)| q).unwrap_or(""),
        expected,
    );
    let page = match &result {
        Ok(_) => {
            "Signed in to rounds. You can close this tab and go back to the terminal.\n".to_owned()
        }
        Err(e) => format!(
            "rounds could not sign in: {e}.\nYou can close this tab; the terminal says what to do next.\n"
        ),
    };
    let status = if result.is_ok() {
        "200 OK"
    } else {
        "400 Bad Request"
    };
    let _ = respond(&mut stream, status, &page).await;
    Some(result)
}

/// The request target of a `GET`, or `None` for anything else.
async fn read_target(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() + n > MAX_REQUEST {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = std::str::from_utf8(&buf).ok()?;
    let mut parts = text.lines().next()?.split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) => Some(target.to_owned()),
        _ => None,
    }
}

async fn respond(stream: &mut TcpStream, status: &str, body: &str) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

/// The code from a redirect the user pasted: the whole address from the browser's bar
/// (or just its query).
pub(crate) fn parse_pasted(text: &str, expected: &Expected<'_>) -> Result<String, AuthError> {
    let text = text.trim();
    let query = match Url::parse(text) {
        Ok(url) => url.query().unwrap_or("").to_owned(),
        Err(_) => text.trim_start_matches('?').to_owned(),
    };
    if !query.contains("code=") && !query.contains("error=") {
        return Err(AuthError::BadRedirect(
            "that is not the address the browser ended on: copy the whole address (it starts with http://127.0.0.1 and holds 'code=') from the browser's address bar".into(),
        ));
    }
    parse_query(&query, expected)
}

fn parse_query(query: &str, expected: &Expected<'_>) -> Result<String, AuthError> {
    let mut code = None;
    let mut state = None;
    let mut error = None;
    let mut description = None;
    let mut iss = None;
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "code" => code = Some(v.into_owned()),
            "state" => state = Some(v.into_owned()),
            "error" => error = Some(v.into_owned()),
            "error_description" => description = Some(v.into_owned()),
            "iss" => iss = Some(v.into_owned()),
            _ => {}
        }
    }
    // The state is checked first, even for an error: an answer to another login is ignored
    // in any case.
    if state.as_deref() != Some(expected.state) {
        return Err(AuthError::StateMismatch);
    }
    if let (Some(iss), Some(want)) = (&iss, expected.issuer) {
        if iss.trim_end_matches('/') != want.trim_end_matches('/') {
            return Err(AuthError::BadRedirect(format!(
                "the answer came from the sign-in server '{iss}', not '{want}': start the login again"
            )));
        }
    }
    if let Some(error) = error {
        return Err(AuthError::Denied { error, description });
    }
    code.filter(|c| !c.is_empty()).ok_or_else(|| {
        AuthError::BadRedirect("the browser's answer holds no authorization code".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPECT: Expected<'static> = Expected {
        state: "s-123",
        issuer: Some("https://auth.example"),
    };

    #[test]
    fn state_must_match_exactly() {
        assert_eq!(parse_query("code=c1&state=s-123", &EXPECT).unwrap(), "c1");
        assert_eq!(
            parse_query("code=c1&state=s-1234", &EXPECT),
            Err(AuthError::StateMismatch)
        );
        assert_eq!(
            parse_query("code=c1", &EXPECT),
            Err(AuthError::StateMismatch)
        );
    }

    #[test]
    fn errors_and_issuers_are_reported() {
        let denied = parse_query("error=access_denied&state=s-123", &EXPECT).unwrap_err();
        assert!(matches!(denied, AuthError::Denied { .. }), "{denied:?}");
        let other = parse_query("code=c&state=s-123&iss=https%3A%2F%2Fevil.example", &EXPECT);
        assert!(matches!(other, Err(AuthError::BadRedirect(_))), "{other:?}");
    }

    #[test]
    fn pasted_addresses_are_read() {
        let url =
            "  http://127.0.0.1:4455/callback?code=c2&state=s-123&iss=https%3A%2F%2Fauth.example\n";
        assert_eq!(parse_pasted(url, &EXPECT).unwrap(), "c2");
        assert!(matches!(
            parse_pasted("hello", &EXPECT),
            Err(AuthError::BadRedirect(_))
        ));
    }
}
