//! A JSON Schema (draft 2020-12) of the scenario file format, for editors: `portsim schema`
//! prints it, and `scenarios/portsim.schema.json` is a copy of it.
//!
//! The schema is derived from the serde types of [`raw`](super::raw), whose doc comments
//! become the descriptions shown on hover; tables whose keys depend on a `dist` or a `kind`
//! are the raw layer's tagged enums. Where a value is a plain string or a free-form TOML
//! value that the checks in [`validate`](super::validate) parse (durations, dates, clock
//! times, weekdays), the raw field points at one of the schemas of
//! [`formats`](super::formats) with `#[schemars(with = ...)]`.
//!
//! TOML has no null, so nothing in the schema allows one: an optional key is simply left out.

use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::{RecursiveTransform, Transform};
use serde_json::Value;

use super::raw::RawScenario;

/// The JSON Schema of scenario files.
pub fn scenario_schema() -> Value {
    let mut schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<RawScenario>();
    RecursiveTransform(Tidy).transform(&mut schema);
    // `$schema` and the title first, for whoever opens the file.
    let mut object = schema.to_value();
    let Some(map) = object.as_object_mut() else {
        unreachable!("a root schema is an object");
    };
    let mut ordered = serde_json::Map::new();
    for key in ["$schema", "title", "description"] {
        if let Some(v) = map.shift_remove(key) {
            ordered.insert(key.to_string(), v);
        }
    }
    ordered.append(map);
    Value::Object(ordered)
}

/// The schema as pretty-printed JSON (what `portsim schema` prints, without the final
/// newline).
pub fn scenario_schema_text() -> String {
    serde_json::to_string_pretty(&scenario_schema()).expect("a JSON value always serialises")
}

/// Tidies what schemars generates for editors: no `null` (schemars allows it for `Option`
/// fields, but in TOML an optional key is left out, never null), no Rust-specific `format`
/// (`double`, `int64`), and descriptions as one line per paragraph (doc comments break
/// lines at 92 columns; editors show the breaks).
struct Tidy;

impl Transform for Tidy {
    fn transform(&mut self, schema: &mut Schema) {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        if let Some(Value::Array(types)) = obj.get_mut("type") {
            types.retain(|t| t != "null");
            if types.len() == 1 {
                let only = types.remove(0);
                obj.insert("type".into(), only);
            }
        }
        if let Some(Value::Array(values)) = obj.get_mut("enum") {
            values.retain(|v| !v.is_null());
            if values.len() == 1 {
                let only = values.remove(0);
                obj.remove("enum");
                obj.insert("const".into(), only);
            }
        }
        if obj.get("default").is_some_and(Value::is_null) {
            obj.remove("default");
        }
        // `anyOf: [S, {type: null}]` (an optional reference): S, keeping the description.
        let is_null = |v: &Value| v.get("type").is_some_and(|t| t == "null");
        if let Some(Value::Array(options)) = obj.get("anyOf")
            && options.len() == 2
            && options.iter().any(is_null)
        {
            let kept = options.iter().find(|v| !is_null(v)).cloned();
            obj.remove("anyOf");
            if let Some(Value::Object(kept)) = kept {
                for (k, v) in kept {
                    obj.entry(k).or_insert(v);
                }
            }
        }
        if obj
            .get("format")
            .is_some_and(|f| f == "double" || f == "int64")
        {
            obj.remove("format");
        }
        if let Some(Value::String(text)) = obj.get_mut("description") {
            *text = text
                .split("\n\n")
                .map(|paragraph| {
                    paragraph
                        .split('\n')
                        .map(str::trim)
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
                .join("\n\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde::de::{DeserializeOwned, Visitor};

    use super::*;
    use crate::scenario::raw::*;

    /// What `deserialize_struct` is told: the keys a serde struct takes.
    #[derive(Debug)]
    struct Fields(Option<&'static [&'static str]>);

    impl std::fmt::Display for Fields {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{:?}", self.0)
        }
    }

    impl std::error::Error for Fields {}

    impl serde::de::Error for Fields {
        fn custom<T: std::fmt::Display>(_: T) -> Self {
            Fields(None)
        }
    }

    struct FieldNames;

    impl<'de> serde::Deserializer<'de> for FieldNames {
        type Error = Fields;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Fields> {
            Err(Fields(None))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Fields> {
            Err(Fields(Some(fields)))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    fn fields_of<T: DeserializeOwned>() -> BTreeSet<String> {
        match T::deserialize(FieldNames) {
            Err(Fields(Some(f))) => f.iter().map(|s| s.to_string()).collect(),
            _ => panic!("not a struct"),
        }
    }

    /// The properties of `schema` and, if it is a union, of its variants.
    fn properties(schema: &Value) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = schema["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        for union in ["oneOf", "anyOf"] {
            for v in schema[union].as_array().into_iter().flatten() {
                out.extend(properties(v));
            }
        }
        out
    }

    #[test]
    fn every_key_of_the_file_is_in_the_schema_and_no_other() {
        let schema = scenario_schema();
        let def = |name: &str| properties(&schema["$defs"][name]);
        let dists: BTreeSet<String> = def("DurationDist")
            .union(&def("CountDist"))
            .cloned()
            .collect();
        for (name, found, expected) in [
            ("scenario", properties(&schema), fields_of::<RawScenario>()),
            ("Pool", def("Pool"), fields_of::<RawPool>()),
            ("Shift", def("Shift"), fields_of::<RawShift>()),
            ("OpenHours", def("OpenHours"), fields_of::<RawOpenHours>()),
            (
                "Reservations",
                def("Reservations"),
                fields_of::<RawReservations>(),
            ),
            ("Peak", def("Peak"), fields_of::<RawPeak>()),
            ("Mode", def("Mode"), fields_of::<RawMode>()),
            ("Arrivals", def("Arrivals"), fields_of::<ArrivalKeys>()),
            ("Service", def("Service"), fields_of::<RawService>()),
            ("Channel", def("Channel"), fields_of::<RawChannel>()),
            ("Stage", def("Stage"), fields_of::<RawStage>()),
            ("Branch", def("Branch"), fields_of::<RawBranch>()),
            ("distributions", dists, fields_of::<DistKeys>()),
        ] {
            assert_eq!(found, expected, "{name}");
        }
        let branch_stage = def("BranchStage");
        assert!(branch_stage.is_subset(&def("Stage")) && !branch_stage.contains("branches"));
    }

    #[test]
    fn every_table_is_closed_and_every_key_described() {
        fn walk(v: &Value, path: &str) {
            match v {
                Value::Object(o) => {
                    assert!(
                        o.get("type") != Some(&Value::from("null")),
                        "null at {path}"
                    );
                    if o.get("type") == Some(&Value::from("object")) && o.contains_key("properties")
                    {
                        assert_eq!(o["additionalProperties"], false, "{path}");
                    }
                    if let Some(Value::Object(props)) = o.get("properties")
                        && !["if", "then", "dependentSchemas"]
                            .iter()
                            .any(|rule| path.contains(&format!(".{rule}")))
                    {
                        for (k, p) in props {
                            let tag_or_false = p == &Value::Bool(false);
                            assert!(
                                tag_or_false || p.get("description").is_some(),
                                "{path}.{k} has no description"
                            );
                        }
                    }
                    for (k, v) in o {
                        assert!(!v.is_null(), "null at {path}.{k}");
                        walk(v, &format!("{path}.{k}"));
                    }
                }
                Value::Array(a) => {
                    for (i, v) in a.iter().enumerate() {
                        walk(v, &format!("{path}[{i}]"));
                    }
                }
                _ => {}
            }
        }
        walk(&scenario_schema(), "");
    }
}
