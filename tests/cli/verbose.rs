//! The CLI: --verbose offline

use super::*;

#[test]
fn verbose_demo_reports_no_network_and_leaves_stdout_alone() {
    for args in [
        &["search", "--name", "testwell"][..],
        &["chart", "rnd-ada-testwell", "--section", "labs"][..],
    ] {
        let quiet = run(demo(args)).ok();
        let mut verbose_args = vec!["--verbose"];
        verbose_args.extend(args);
        let loud = run(demo(&verbose_args))
            .ok()
            .stderr_has("no network")
            .stderr_has("built-in demo patients");
        assert_eq!(quiet.stdout, loud.stdout, "{args:?}");
        assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
        assert!(
            !loud.stderr.to_lowercase().contains("testwell"),
            "{}",
            loud.stderr
        );
    }
}
