//! A semantic three-way merge of two versions of a project against their
//! common base, for a team that shares a project through git.
//!
//! Nothing here is a textual merge of the RON file. Issues are matched by
//! their ID, releases by theirs, recipients and members by address, and the
//! other lists by what identifies their items (a fix commit by its hash, a
//! reference by its address, a notice by its recipient, an affected range by
//! the version that introduced it, …); journals are a union by entry id in
//! time order, so nothing either side recorded is lost or doubled. Every
//! other field is taken from the side that changed it; a field both sides
//! changed to different values is a [`Conflict`], listed with the base value,
//! both values and who set them (from the journals' authors). Until it is
//! resolved ([`resolve`], [`resolve_with`]) the merged project holds our
//! value.
//!
//! Fields are compared in their serialized form (serde's data model), so a
//! field added to the model later merges like the others without a line
//! here. Pure code: no I/O.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::core::model::{Event, Issue, JournalEntry, Project};

/// The result of a merge: the project, and what could not be merged.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    /// The merged project. Where there is a conflict it holds our value.
    pub project: Project,
    /// The fields both sides changed to different values, in file order.
    pub conflicts: Vec<Conflict>,
}

impl Merged {
    /// Whether the merge is clean: no conflict left.
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// A field both sides changed to different values (or an item one side
/// changed and the other removed, or both added under the same key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// Where, e.g. `issues[POSTBOTE-2].severity` or
    /// `recipients[distros@lists.openwall.org].must_encrypt`: field names
    /// joined by dots, list items by their key in brackets.
    pub path: String,
    /// The base value as text; `None` when the field or item was not there.
    pub base: Option<String>,
    /// Our value as text (`(removed)` when we removed the item).
    pub ours: String,
    /// Their value as text (`(removed)` when they removed the item).
    pub theirs: String,
    /// Who set our value: the author of our latest journal entry about it.
    pub ours_by: Option<String>,
    /// Who set their value.
    pub theirs_by: Option<String>,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let by = |who: &Option<String>| match who {
            Some(w) => format!(" (by {w})"),
            None => String::new(),
        };
        write!(
            f,
            "{}: ours {:?}{}, theirs {:?}{}",
            self.path,
            self.ours,
            by(&self.ours_by),
            self.theirs,
            by(&self.theirs_by)
        )?;
        if let Some(base) = &self.base {
            write!(f, ", was {base:?}")?;
        }
        Ok(())
    }
}

/// Which side's value resolves a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The local version.
    Ours,
    /// The other version (the remote's).
    Theirs,
}

/// Why a conflict could not be resolved.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// No conflict is left at that path.
    #[error("there is no conflict at `{path}` (the conflicts are: {known})")]
    NoSuchConflict {
        /// The path asked for.
        path: String,
        /// The paths of the conflicts left, comma separated, or "none".
        known: String,
    },
    /// The value given does not fit the field.
    #[error("`{value}` is not a value `{path}` can take: {reason}")]
    BadValue {
        /// The conflict's path.
        path: String,
        /// The value as given.
        value: String,
        /// What the model said.
        reason: String,
    },
}

/// Merge `ours` and `theirs`, two versions of a project made from `base`.
pub fn merge(base: &Project, ours: &Project, theirs: &Project) -> Merged {
    let mut cx = Cx {
        conflicts: Vec::new(),
    };
    let mut project = if ours == theirs || base == theirs {
        ours.clone()
    } else if base == ours {
        theirs.clone()
    } else {
        let mut project = merge_shell(base, ours, theirs, &mut cx);
        project.journal = merge_journal(
            "journal",
            "",
            &base.journal,
            &ours.journal,
            &theirs.journal,
            &mut cx,
        );
        project.issues = merge_issues(base, ours, theirs, &mut cx);
        project
    };
    project.fill_ids();
    let mut conflicts = cx.conflicts;
    for c in &mut conflicts {
        c.ours_by = who_set(&c.path, base, ours);
        c.theirs_by = who_set(&c.path, base, theirs);
    }
    Merged { project, conflicts }
}

/// Resolve the conflict at `path` with `side`'s value (`ours` and `theirs`
/// are the versions [`merge`] was given).
pub fn resolve(
    merged: &mut Merged,
    ours: &Project,
    theirs: &Project,
    path: &str,
    side: Side,
) -> Result<(), MergeError> {
    let index = conflict_index(merged, path)?;
    let from = match side {
        Side::Ours => ours,
        Side::Theirs => theirs,
    };
    let from = with_ids(from);
    let source = to_value(&*from);
    let value = lookup(&source, path).cloned();
    set_in_project(merged, path, value, path)?;
    merged.conflicts.remove(index);
    Ok(())
}

/// Resolve the conflict at `path` with an edited value, written as the
/// conflict shows values: a text field's text as it is, `(none)` for no
/// value, anything else in JSON (e.g. `{"Assigned":{"id":"CVE-2026-1234"}}`
/// or `true`).
pub fn resolve_with(merged: &mut Merged, path: &str, text: &str) -> Result<(), MergeError> {
    let index = conflict_index(merged, path)?;
    let current = to_value(&merged.project);
    let value = match (lookup(&current, path), text.trim()) {
        (_, "(none)") => Value::Null,
        (Some(Value::String(_)), _) => Value::String(text.to_owned()),
        _ => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())),
    };
    set_in_project(merged, path, Some(value), text)?;
    merged.conflicts.remove(index);
    Ok(())
}

fn conflict_index(merged: &Merged, path: &str) -> Result<usize, MergeError> {
    merged
        .conflicts
        .iter()
        .position(|c| c.path == path)
        .ok_or_else(|| MergeError::NoSuchConflict {
            path: path.to_owned(),
            known: if merged.conflicts.is_empty() {
                "none".to_owned()
            } else {
                merged
                    .conflicts
                    .iter()
                    .map(|c| c.path.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        })
}

fn set_in_project(
    merged: &mut Merged,
    path: &str,
    value: Option<Value>,
    shown: &str,
) -> Result<(), MergeError> {
    let mut root = to_value(&merged.project);
    let bad = |reason: String| MergeError::BadValue {
        path: path.to_owned(),
        value: shown.to_owned(),
        reason,
    };
    set_path(&mut root, path, value).map_err(bad)?;
    merged.project = serde_json::from_value(root).map_err(|e| bad(e.to_string()))?;
    Ok(())
}

/// The project with ids given to entries that have none (the merge gives
/// them the same ones).
fn with_ids(p: &Project) -> std::borrow::Cow<'_, Project> {
    if p.has_entries_without_id() {
        let mut p = p.clone();
        p.fill_ids();
        std::borrow::Cow::Owned(p)
    } else {
        std::borrow::Cow::Borrowed(p)
    }
}

struct Cx {
    conflicts: Vec<Conflict>,
}

impl Cx {
    fn conflict(
        &mut self,
        path: &str,
        base: Option<&Value>,
        ours: Option<&Value>,
        theirs: Option<&Value>,
    ) {
        self.conflicts.push(Conflict {
            path: path.to_owned(),
            base: base.map(show),
            ours: ours.map_or_else(|| REMOVED.to_owned(), show),
            theirs: theirs.map_or_else(|| REMOVED.to_owned(), show),
            ours_by: None,
            theirs_by: None,
        });
    }
}

const REMOVED: &str = "(removed)";

/// A value as a conflict shows it: text as it is, `(none)` for null,
/// anything else as compact JSON.
fn show(v: &Value) -> String {
    match v {
        Value::Null => "(none)".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn to_value<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).expect("the model holds only serializable data")
}

/// Everything but the issues and the project's journal.
fn merge_shell(base: &Project, ours: &Project, theirs: &Project, cx: &mut Cx) -> Project {
    let shell = |p: &Project| {
        let mut v = to_value(&Project {
            issues: Vec::new(),
            journal: Vec::new(),
            ..p.clone()
        });
        if let Value::Object(m) = &mut v {
            m.remove("issues");
            m.remove("journal");
        }
        v
    };
    let (b, o, t) = (shell(base), shell(ours), shell(theirs));
    let merged = merge_value("", Some(&b), Some(&o), Some(&t), cx);
    let merged = merged.unwrap_or(o);
    match serde_json::from_value::<Project>(merged) {
        Ok(p) => p,
        Err(e) => {
            // A combination the model refuses: keep ours and say so.
            cx.conflicts.push(Conflict {
                path: "project".to_owned(),
                base: None,
                ours: "our settings".to_owned(),
                theirs: format!("their settings, which do not combine with ours: {e}"),
                ours_by: None,
                theirs_by: None,
            });
            Project {
                issues: Vec::new(),
                journal: Vec::new(),
                ..ours.clone()
            }
        }
    }
}

fn merge_issues(base: &Project, ours: &Project, theirs: &Project, cx: &mut Cx) -> Vec<Issue> {
    let index = |p: &Project| -> HashMap<String, usize> {
        p.issues
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.clone(), i))
            .collect()
    };
    let (bi, ti) = (index(base), index(theirs));
    let oi = index(ours);
    let mut out = Vec::with_capacity(ours.issues.len().max(theirs.issues.len()));
    for o in &ours.issues {
        let b = bi.get(&o.id).map(|&i| &base.issues[i]);
        let t = ti.get(&o.id).map(|&i| &theirs.issues[i]);
        let path = format!("issues[{}]", o.id);
        match (b, t) {
            (_, Some(t)) => out.push(merge_issue(&path, b, o, t, cx)),
            // They removed it: gone, unless we changed it.
            (Some(b), None) if b == o => {}
            (Some(b), None) => {
                cx.conflict(&path, Some(&summary(b)), Some(&summary(o)), None);
                out.push(o.clone());
            }
            (None, None) => out.push(o.clone()),
        }
    }
    for t in &theirs.issues {
        if oi.contains_key(&t.id) {
            continue;
        }
        let path = format!("issues[{}]", t.id);
        match bi.get(&t.id).map(|&i| &base.issues[i]) {
            None => out.push(t.clone()),
            Some(b) if b == t => {}
            Some(b) => cx.conflict(&path, Some(&summary(b)), None, Some(&summary(t))),
        }
    }
    out
}

/// An issue as a conflict about the whole of it shows it.
fn summary(i: &Issue) -> Value {
    Value::String(format!("{} “{}”", i.id, i.title))
}

fn merge_issue(
    path: &str,
    base: Option<&Issue>,
    ours: &Issue,
    theirs: &Issue,
    cx: &mut Cx,
) -> Issue {
    if ours == theirs || base == Some(theirs) {
        return ours.clone();
    }
    if base == Some(ours) {
        return theirs.clone();
    }
    let Some(base) = base else {
        // Added on both sides under the same ID, differently.
        cx.conflict(path, None, Some(&summary(ours)), Some(&summary(theirs)));
        return ours.clone();
    };
    let shell = |i: &Issue| {
        let mut v = to_value(&Issue {
            journal: Vec::new(),
            ..i.clone()
        });
        if let Value::Object(m) = &mut v {
            m.remove("journal");
        }
        v
    };
    let (b, o, t) = (shell(base), shell(ours), shell(theirs));
    let merged = merge_value(path, Some(&b), Some(&o), Some(&t), cx).unwrap_or(o);
    let mut issue = match serde_json::from_value::<Issue>(merged) {
        Ok(i) => i,
        Err(e) => {
            cx.conflicts.push(Conflict {
                path: path.to_owned(),
                base: None,
                ours: "our version".to_owned(),
                theirs: format!("their version, which does not combine with ours: {e}"),
                ours_by: None,
                theirs_by: None,
            });
            ours.clone()
        }
    };
    issue.journal = merge_journal(
        &format!("{path}.journal"),
        &ours.id,
        &base.journal,
        &ours.journal,
        &theirs.journal,
        cx,
    );
    issue
}

/// The union of two journals by entry id, in time order: our entries in our
/// order, theirs slotted in by their instants.
fn merge_journal(
    path: &str,
    scope: &str,
    base: &[JournalEntry],
    ours: &[JournalEntry],
    theirs: &[JournalEntry],
    cx: &mut Cx,
) -> Vec<JournalEntry> {
    if ours == theirs || base == theirs {
        return ours.to_vec();
    }
    if base == ours {
        return theirs.to_vec();
    }
    let key = |e: &JournalEntry, i: usize| {
        if e.id.is_empty() {
            e.derived_id(scope, i)
        } else {
            e.id.clone()
        }
    };
    let keyed = |j: &[JournalEntry]| -> Vec<(String, usize)> {
        j.iter().enumerate().map(|(i, e)| (key(e, i), i)).collect()
    };
    let (bk, ok, tk) = (keyed(base), keyed(ours), keyed(theirs));
    let bmap: HashMap<&str, usize> = bk.iter().map(|(k, i)| (k.as_str(), *i)).collect();
    let tmap: HashMap<&str, usize> = tk.iter().map(|(k, i)| (k.as_str(), *i)).collect();
    let omap: HashSet<&str> = ok.iter().map(|(k, _)| k.as_str()).collect();
    let mut mine = Vec::with_capacity(ours.len());
    for (k, i) in &ok {
        let o = &ours[*i];
        let entry = match tmap.get(k.as_str()) {
            Some(&ti) if theirs[ti] != *o => {
                let t = &theirs[ti];
                let b = bmap.get(k.as_str()).map(|&bi| &base[bi]);
                merge_entry(&format!("{path}[{k}]"), b, o, t, cx)
            }
            _ => o.clone(),
        };
        mine.push(JournalEntry {
            id: k.clone(),
            ..entry
        });
    }
    let others: Vec<JournalEntry> = tk
        .iter()
        .filter(|(k, _)| !omap.contains(k.as_str()))
        .map(|(k, i)| JournalEntry {
            id: k.clone(),
            ..theirs[*i].clone()
        })
        .collect();
    // A merge step of two sequences, each kept in its own order.
    let mut out = Vec::with_capacity(mine.len() + others.len());
    let mut others = others.into_iter().peekable();
    for e in mine {
        while let Some(t) = others.next_if(|t| t.at < e.at) {
            out.push(t);
        }
        out.push(e);
    }
    out.extend(others);
    out
}

fn merge_entry(
    path: &str,
    base: Option<&JournalEntry>,
    ours: &JournalEntry,
    theirs: &JournalEntry,
    cx: &mut Cx,
) -> JournalEntry {
    if base == Some(ours) {
        return theirs.clone();
    }
    if base == Some(theirs) {
        return ours.clone();
    }
    let (b, o, t) = (base.map(to_value), to_value(ours), to_value(theirs));
    let merged = merge_value(path, b.as_ref(), Some(&o), Some(&t), cx).unwrap_or(o);
    serde_json::from_value(merged).unwrap_or_else(|_| ours.clone())
}

/// Three-way merge of one value. `None` is a field or item not there.
/// Returns the merged value (`None`: leave it out).
fn merge_value(
    path: &str,
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    cx: &mut Cx,
) -> Option<Value> {
    if ours == theirs || base == theirs {
        return ours.cloned();
    }
    if base == ours {
        return theirs.cloned();
    }
    match (base, ours, theirs) {
        (Some(Value::Object(b)), Some(Value::Object(o)), Some(Value::Object(t)))
            if !is_variant_change(b, o, t) =>
        {
            Some(Value::Object(merge_object(path, b, o, t, cx)))
        }
        (Some(Value::Array(b)), Some(Value::Array(o)), Some(Value::Array(t))) => {
            match merge_array(path, b, o, t, cx) {
                Some(v) => Some(Value::Array(v)),
                None => {
                    cx.conflict(path, base, ours, theirs);
                    ours.cloned()
                }
            }
        }
        _ => {
            cx.conflict(path, base, ours, theirs);
            ours.cloned()
        }
    }
}

/// Whether the objects are enum variants (`{"Assigned": {...}}`) not all of
/// the same variant: such a change is one value, not fields to merge.
fn is_variant_change(
    b: &Map<String, Value>,
    o: &Map<String, Value>,
    t: &Map<String, Value>,
) -> bool {
    let variant = |m: &Map<String, Value>| {
        m.len() == 1
            && m.keys()
                .next()
                .is_some_and(|k| k.starts_with(|c: char| c.is_ascii_uppercase()))
    };
    (variant(b) || variant(o) || variant(t)) && !(b.keys().eq(o.keys()) && o.keys().eq(t.keys()))
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

fn merge_object(
    path: &str,
    b: &Map<String, Value>,
    o: &Map<String, Value>,
    t: &Map<String, Value>,
    cx: &mut Cx,
) -> Map<String, Value> {
    let mut out = Map::new();
    let keys = o.keys().chain(t.keys().filter(|k| !o.contains_key(*k)));
    for k in keys {
        if let Some(v) = merge_value(&join(path, k), b.get(k), o.get(k), t.get(k), cx) {
            out.insert(k.clone(), v);
        }
    }
    out
}

/// What identifies an item of the list named `field`, if the list is one
/// whose items two people can add or change independently.
fn item_key(field: &str, item: &Value) -> Option<String> {
    let get = |name: &str| item.get(name).and_then(Value::as_str);
    let lower = |name: &str| get(name).map(|s| s.trim().to_ascii_lowercase());
    match field {
        "issues" | "releases" | "journal" | "fix_commits" => get("id").map(str::to_owned),
        "recipients" | "members" => lower("address"),
        "notices" => lower("recipient"),
        "artifacts" => get("path").map(str::to_owned),
        "shares" => Some(format!("{}:{}", get("list")?, get("user")?)),
        "references" => get("url").map(str::to_owned),
        "other_ids" => Some(format!("{}:{}", get("scheme")?, get("id")?)),
        "affected" => get("introduced").map(str::to_owned),
        "credits" | "blackouts" => get("name").map(str::to_owned),
        "problem_types" => get("description").map(str::to_owned),
        "branches" => get("branch").map(str::to_owned),
        _ => None,
    }
}

fn last_field(path: &str) -> &str {
    let tail = path.rsplit('.').next().unwrap_or(path);
    tail.split('[').next().unwrap_or(tail)
}

/// Merge a list: keyed items matched by key, plain texts as a set. `None`
/// when the list is neither (then it is one value).
fn merge_array(
    path: &str,
    b: &[Value],
    o: &[Value],
    t: &[Value],
    cx: &mut Cx,
) -> Option<Vec<Value>> {
    let field = last_field(path);
    let keys = |list: &[Value]| -> Option<Vec<String>> {
        let keys: Vec<String> = list
            .iter()
            .map(|v| item_key(field, v))
            .collect::<Option<_>>()?;
        let unique: HashSet<&String> = keys.iter().collect();
        (unique.len() == keys.len()).then_some(keys)
    };
    if let (Some(bk), Some(ok), Some(tk)) = (keys(b), keys(o), keys(t)) {
        let find = |keys: &[String], k: &str| keys.iter().position(|x| x == k);
        let mut out = Vec::new();
        for (i, k) in ok.iter().enumerate() {
            let item = join_key(path, k);
            let bv = find(&bk, k).map(|j| &b[j]);
            let tv = find(&tk, k).map(|j| &t[j]);
            if let Some(v) = merge_value(&item, bv, Some(&o[i]), tv, cx) {
                out.push(v);
            }
        }
        for (i, k) in tk.iter().enumerate() {
            if find(&ok, k).is_some() {
                continue;
            }
            let bv = find(&bk, k).map(|j| &b[j]);
            if let Some(v) = merge_value(&join_key(path, k), bv, None, Some(&t[i]), cx) {
                out.push(v);
            }
        }
        return Some(out);
    }
    let texts = |l: &[Value]| l.iter().all(Value::is_string);
    if texts(b) && texts(o) && texts(t) {
        let mut out: Vec<Value> = o
            .iter()
            .filter(|v| t.contains(v) || !b.contains(v))
            .cloned()
            .collect();
        out.extend(
            t.iter()
                .filter(|v| !o.contains(v) && !b.contains(v))
                .cloned(),
        );
        return Some(out);
    }
    None
}

fn join_key(path: &str, key: &str) -> String {
    format!("{path}[{key}]")
}

/// One step of a path: a field (or map key), or a list item by its key.
#[derive(Debug, PartialEq)]
enum Step<'a> {
    Field(&'a str),
    Item(&'a str),
}

/// Split `issues[X.1].journal[ID].note` into its steps. A key ends at the
/// `]` followed by `.`, `[` or the end, so keys may hold dots.
fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let end = after
                .match_indices(']')
                .map(|(i, _)| i)
                .find(|&i| matches!(after.as_bytes().get(i + 1), None | Some(b'.' | b'[')))
                .unwrap_or(after.len());
            out.push(Step::Item(&after[..end]));
            rest = after.get(end + 1..).unwrap_or("");
        } else {
            let rest2 = rest.strip_prefix('.').unwrap_or(rest);
            let end = rest2.find(['.', '[']).unwrap_or(rest2.len());
            out.push(Step::Field(&rest2[..end]));
            rest = &rest2[end..];
        }
    }
    out
}

/// The value at `path`, if there is one.
fn lookup<'v>(root: &'v Value, path: &str) -> Option<&'v Value> {
    let mut at = root;
    let mut field = "";
    for step in steps(path) {
        at = match step {
            Step::Field(f) => {
                field = f;
                at.get(f)?
            }
            Step::Item(k) => at
                .as_array()?
                .iter()
                .find(|v| item_key(field, v).as_deref() == Some(k))?,
        };
    }
    Some(at)
}

/// Put `value` at `path` (`None`: remove it there).
fn set_path(root: &mut Value, path: &str, value: Option<Value>) -> Result<(), String> {
    let steps = steps(path);
    let Some((last, parents)) = steps.split_last() else {
        return Err("the path is empty".to_owned());
    };
    let mut at = root;
    let mut field = "";
    for step in parents {
        at = match step {
            Step::Field(f) => {
                field = *f;
                let obj = at.as_object_mut().ok_or("not a structure")?;
                obj.entry(f.to_string()).or_insert(Value::Null)
            }
            Step::Item(k) => {
                let list = at.as_array_mut().ok_or("not a list")?;
                list.iter_mut()
                    .find(|v| item_key(field, v).as_deref() == Some(*k))
                    .ok_or_else(|| format!("no item `{k}` in `{field}`"))?
            }
        };
    }
    match (last, value) {
        (Step::Field(f), Some(v)) => {
            if at.is_null() {
                *at = Value::Object(Map::new());
            }
            at.as_object_mut()
                .ok_or("not a structure")?
                .insert(f.to_string(), v);
        }
        (Step::Field(f), None) => {
            if let Some(obj) = at.as_object_mut() {
                obj.remove(*f);
            }
        }
        (Step::Item(k), value) => {
            let list = at.as_array_mut().ok_or("not a list")?;
            let pos = list
                .iter()
                .position(|v| item_key(field, v).as_deref() == Some(*k));
            match (pos, value) {
                (Some(i), Some(v)) => list[i] = v,
                (Some(i), None) => {
                    list.remove(i);
                }
                (None, Some(v)) => list.push(v),
                (None, None) => {}
            }
        }
    }
    Ok(())
}

/// Who set the value at `path` on `side`: the author of the side's latest
/// new journal entry (one not in the base) recording that field, else of
/// its latest new entry with an author, in the issue's journal for a path
/// into an issue and the project's journal otherwise.
fn who_set(path: &str, base: &Project, side: &Project) -> Option<String> {
    let steps = steps(path);
    let issue = match steps.as_slice() {
        [Step::Field("issues"), Step::Item(id), ..] => Some(*id),
        _ => None,
    };
    let journal_of = |p: &Project| -> Option<Vec<JournalEntry>> {
        match issue {
            Some(id) => p.issue(id).map(|i| i.journal.clone()),
            None => Some(p.journal.clone()),
        }
    };
    let mut side_journal = journal_of(side)?;
    let mut base_journal = journal_of(base).unwrap_or_default();
    let scope = issue.unwrap_or("");
    crate::core::model::fill_journal_ids(&mut side_journal, scope);
    crate::core::model::fill_journal_ids(&mut base_journal, scope);
    let old: HashSet<&str> = base_journal.iter().map(|e| e.id.as_str()).collect();
    let fresh: Vec<&JournalEntry> = side_journal
        .iter()
        .filter(|e| !old.contains(e.id.as_str()) && e.author.is_some())
        .collect();
    let field = last_field(path);
    fresh
        .iter()
        .rev()
        .find(|e| matches!(&e.event, Event::FieldChanged { field: f, .. } if f == field))
        .or_else(|| fresh.last())
        .and_then(|e| e.author.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_steps_with_dotted_keys() {
        assert_eq!(
            steps("issues[X.1].journal[a].note"),
            vec![
                Step::Field("issues"),
                Step::Item("X.1"),
                Step::Field("journal"),
                Step::Item("a"),
                Step::Field("note"),
            ]
        );
        assert_eq!(steps("name"), vec![Step::Field("name")]);
        assert_eq!(
            steps("repo.public_remotes"),
            vec![Step::Field("repo"), Step::Field("public_remotes")]
        );
    }
}
