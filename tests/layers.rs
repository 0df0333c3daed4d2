//! The library's layers, read from its source: no module imports from a layer above
//! its own, and the files of one module do not import each other in a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::repo;

/// The library's top-level modules, bottom up: a module may import only from a layer
/// below its own (see docs/ARCHITECTURE.md).
const LAYERS: [(&str, u32); 14] = [
    ("engine", 0),
    ("stats", 0),
    ("files", 0),
    ("theory", 0),
    ("calendar", 1),
    ("results", 1),
    ("plot", 1),
    ("model", 2),
    ("scenario", 3),
    ("roster", 3),
    ("experiment", 4),
    ("check", 5),
    ("report", 6),
    ("api", 7),
];

/// A file's library code: the text before its unit tests, without comment lines.
fn library_code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first segment of every path after `prefix` (`crate::`, `super::`) in `code`,
/// including each one of a group (`crate::{a::X, b}` gives `a` and `b`).
fn imported(code: &str, prefix: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    for (at, _) in code.match_indices(prefix) {
        // `super::super::x` is another module's `super`: not a sibling.
        if code[..at].ends_with("super::") {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut part = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(ident(&part));
                        part.clear();
                        continue;
                    }
                    _ => {}
                }
                part.push(c);
            }
            out.insert(ident(&part));
        } else {
            out.insert(ident(rest));
        }
    }
    out.remove("");
    out
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The top-level modules each top-level module imports from, by `crate::` paths.
fn module_imports() -> BTreeMap<&'static str, BTreeSet<String>> {
    LAYERS
        .iter()
        .map(|&(name, _)| {
            let dir = repo(&format!("src/{name}"));
            let files = if dir.is_dir() {
                rust_files(&dir)
            } else {
                vec![repo(&format!("src/{name}.rs"))]
            };
            let used = files
                .iter()
                .flat_map(|f| imported(&library_code(f), "crate::"))
                .filter(|m| m != name)
                .collect();
            (name, used)
        })
        .collect()
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let layer: BTreeMap<&str, u32> = LAYERS.into_iter().collect();
    let mut upward = Vec::new();
    for (from, used) in module_imports() {
        for to in used {
            match layer.get(to.as_str()) {
                Some(&l) if l >= layer[from] => upward.push(format!("{from} → {to}")),
                Some(_) => {}
                None => upward.push(format!("{from} → {to} (add {to} to LAYERS)")),
            }
        }
    }
    assert!(upward.is_empty(), "upward imports: {upward:?}");
}

#[test]
fn every_module_of_the_library_has_a_layer() {
    let lib = std::fs::read_to_string(repo("src/lib.rs")).unwrap();
    let modules: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    assert!(modules.contains(&"engine"), "{modules:?}");
    let placed: Vec<&str> = LAYERS.iter().map(|(name, _)| *name).collect();
    let unplaced: Vec<&&str> = modules.iter().filter(|m| !placed.contains(m)).collect();
    assert!(unplaced.is_empty(), "add to LAYERS: {unplaced:?}");
}

#[test]
fn check_does_not_depend_on_report() {
    let imports = module_imports();
    assert!(
        !imports["check"].contains("report"),
        "{:?}",
        imports["check"]
    );
    assert!(imports["report"].contains("check"), "report prints checks");
}

/// A circle of imports among the files directly in `dir` (the module `module`, `::`
/// between its parts) and its submodules in folders, each of those one node, if any, as
/// the names along it.
fn circle(dir: &Path, module: &str) -> Option<Vec<String>> {
    let own_prefix = format!("crate::{module}::");
    let entries: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let name = |p: &Path| p.file_stem().unwrap().to_string_lossy().into_owned();
    let mut files: BTreeMap<String, BTreeSet<String>> = entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| p.file_stem().is_some_and(|s| s != "mod"))
        .map(|p| {
            let code = library_code(p);
            let mut uses = imported(&code, "super::");
            uses.extend(imported(&code, &own_prefix));
            (name(p), uses)
        })
        .collect();
    // A submodule in a folder reaches its siblings by `crate::` paths (its `super` is
    // itself).
    for sub in entries.iter().filter(|p| p.join("mod.rs").is_file()) {
        let uses = rust_files(sub)
            .iter()
            .flat_map(|f| imported(&library_code(f), &own_prefix))
            .collect();
        files.insert(name(sub), uses);
    }
    // Depth-first search; a file met again while still on the path closes a circle.
    fn visit(
        file: &str,
        files: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|f| f == file) {
            let mut found = path[at..].to_vec();
            found.push(file.to_string());
            return Some(found);
        }
        if !done.insert(file.to_string()) {
            return None;
        }
        path.push(file.to_string());
        for next in files.get(file).into_iter().flatten() {
            if files.contains_key(next)
                && let Some(found) = visit(next, files, path, done)
            {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    files
        .keys()
        .find_map(|f| visit(f, &files, &mut Vec::new(), &mut done))
}

#[test]
fn the_files_of_a_module_do_not_import_each_other_in_a_circle() {
    for module in [
        "api",
        "check",
        "experiment",
        "report",
        "stats",
        "calendar",
        "engine",
        "plot",
        "scenario",
        "scenario/raw",
        "scenario/validate",
    ] {
        let dir = repo(&format!("src/{module}"));
        assert_eq!(
            circle(&dir, &module.replace('/', "::")),
            None,
            "src/{module}/"
        );
    }
}

#[test]
fn imports_are_read_from_paths_and_groups_outside_comments_and_tests() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.rs");
    let code = "use super::{a::X, b};\nuse crate::c::{D, e::F};\n// use super::z;\n\
                #[cfg(test)]\nmod tests { use crate::t; }\n";
    std::fs::write(&path, code).unwrap();
    let seen = library_code(&path);
    assert_eq!(
        imported(&seen, "super::"),
        BTreeSet::from(["a".into(), "b".into()])
    );
    assert_eq!(imported(&seen, "crate::"), BTreeSet::from(["c".into()]));
}

#[test]
fn a_circle_of_three_files_is_found_and_a_chain_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, code: &str| std::fs::write(dir.path().join(name), code).unwrap();
    write("mod.rs", "pub mod a; pub mod b; pub mod c;\n");
    write("a.rs", "use super::b::B;\n");
    write("b.rs", "use crate::m::c::C;\n");
    write(
        "c.rs",
        "#[cfg(test)]\nmod tests { use super::super::a::A; }\n",
    );
    assert_eq!(circle(dir.path(), "m"), None);
    write("c.rs", "fn f() { super::a::g() }\n");
    let found = circle(dir.path(), "m").expect("a → b → c → a");
    assert_eq!(found, ["a", "b", "c", "a"]);
    // A submodule in a folder is one node, reached and reaching by `crate::` paths.
    write("c.rs", "\n");
    std::fs::create_dir(dir.path().join("d")).unwrap();
    write("d/mod.rs", "pub mod e;\n");
    write("d/e.rs", "use crate::m::a::A;\n");
    assert_eq!(circle(dir.path(), "m"), None);
    write("c.rs", "use super::d::E;\n");
    let found = circle(dir.path(), "m").expect("a → b → c → d → a");
    assert_eq!(found, ["a", "b", "c", "d", "a"]);
}
