//! The `:` command line: `:patient ID`, `:search TEXT`, `:note`, `:vitals`, `:nka`,
//! `:outbox` (or `:drafts`), `:today`, `:register`, `:demographics`, `:ward LOCATION`, `:mine`,
//! `:theme NAME`, `:recent`, `:lock`, `:help`, `:quit` (`:quit!`
//! without asking about writes not sent).

use super::actions::apply;
use super::{close_chart, open_chart, run_search};
use crate::app::Action;
use crate::app::command::Command;
use crate::app::input::LineInput;
use crate::app::state::App;
use crate::config::find_theme;

pub(super) fn run_command_line(app: &mut App, line: &str) -> Vec<Command> {
    let line = line.trim().trim_start_matches(':');
    let (cmd, arg) = match line.split_once(char::is_whitespace) {
        Some((c, a)) => (c, a.trim()),
        None => (line, ""),
    };
    match cmd {
        "q" | "quit" | "exit" => {
            super::writing::quit(app);
            vec![]
        }
        "q!" | "quit!" => {
            app.quit = true;
            vec![]
        }
        // Typed ids are checked as FHIR ids: `..` or `a/b` would become another request.
        "patient" | "p" | "open" if !arg.is_empty() && !crate::fhir::model::is_fhir_id(arg) => {
            app.set_error(format!(
                "'{}' is not a patient id (1 to 64 letters, digits, '-' or '.')",
                crate::text::clean_line(arg)
            ));
            vec![]
        }
        "patient" | "p" | "open" if !arg.is_empty() => open_chart(app, arg.to_owned(), None),
        "search" | "s" | "find" => {
            close_chart(app);
            app.search.input = LineInput::new(arg);
            app.search.editing = true;
            if arg.is_empty() {
                vec![]
            } else {
                run_search(app)
            }
        }
        "theme" if !arg.is_empty() => {
            match find_theme(&app.themes, arg) {
                Ok(theme) => {
                    app.theme = theme;
                    app.set_status(format!("Theme '{arg}'"));
                }
                Err(e) => app.set_error(e.to_string()),
            }
            vec![]
        }
        "help" | "h" => apply(app, Action::Help),
        "lock" => apply(app, Action::Lock),
        "signin" | "login" => super::locking::start_sign_in(app),
        "note" => super::writing::new_note(app),
        "vitals" => super::writing::vitals_form(app),
        "nka" => super::writing::nka(app),
        "outbox" | "drafts" => super::writing::open_outbox(app),
        "today" | "schedule" => super::schedule::open(app, arg),
        "ward" => super::lists::open_ward(app, arg),
        "mine" => super::lists::open_mine(app, arg),
        "register" | "new" => super::desk::open_register(app),
        "demographics" | "contact" => super::desk_contact::open_demographics(app),
        "recent" => {
            close_chart(app);
            apply(app, Action::Recent)
        }
        "" => vec![],
        "patient" | "p" | "open" => {
            app.set_error("Give a patient id: :patient ID");
            vec![]
        }
        "theme" => {
            app.set_error(format!(
                "Give a theme: :theme {}",
                crate::config::Theme::names().join("|")
            ));
            vec![]
        }
        other => {
            app.set_error(
                format!(
                    "Unknown command ':{}' (try :patient, :search, :note, :vitals, :nka, :outbox, :theme, :recent, :lock, :signin, :help, :quit)",
                    crate::text::clean_line(other)
                ),
            );
            vec![]
        }
    }
}
