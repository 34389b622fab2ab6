//! Connection rules (apiProperties.json): C001 connection parameters are described, C002
//! policy template ids are known and lower-case, C005 the security definitions of the
//! definition agree with the kinds of connection parameters.

use crate::lint::context::{Findings, Subject};
use crate::lint::spelling;
use crate::parse::normalize::POLICY_TEMPLATES;
use crate::parse::pointer;
use crate::parse::raw::truthy;
use serde_json::{Map, Value};

pub fn check(s: &Subject, out: &mut Findings) {
    if !s.props().is_object() {
        return;
    }
    let params = connection_parameters(s.props());
    for p in &params {
        described(p, out);
    }
    policy_ids(s.props(), out);
    if s.has_definition() {
        security_agrees(s, &params, out);
    }
}

/// A connection parameter with its pointer in apiProperties.json.
struct ConnParam<'a> {
    name: &'a str,
    pointer: String,
    value: &'a Map<String, Value>,
}

impl ConnParam<'_> {
    fn kind(&self) -> String {
        self.value
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("string")
            .to_ascii_lowercase()
    }
}

/// Parameters of `connectionParameters` and of every `connectionParameterSets` value.
fn connection_parameters(props: &Value) -> Vec<ConnParam<'_>> {
    let mut lists: Vec<(String, &Map<String, Value>)> = Vec::new();
    if let Some(map) = props
        .pointer("/properties/connectionParameters")
        .and_then(Value::as_object)
    {
        lists.push(("/properties/connectionParameters".into(), map));
    }
    let sets = props
        .pointer("/properties/connectionParameterSets/values")
        .and_then(Value::as_array);
    for (i, set) in sets.into_iter().flatten().enumerate() {
        if let Some(map) = set.get("parameters").and_then(Value::as_object) {
            lists.push((
                format!("/properties/connectionParameterSets/values/{i}/parameters"),
                map,
            ));
        }
    }
    lists
        .into_iter()
        .flat_map(|(at, map)| {
            map.iter().filter_map(move |(name, v)| {
                Some(ConnParam {
                    name,
                    pointer: pointer::child(&at, name),
                    value: v.as_object()?,
                })
            })
        })
        .collect()
}

fn described(p: &ConnParam, out: &mut Findings) {
    let kind = p.kind();
    let ui = p.value.get("uiDefinition");
    let hidden = ui
        .and_then(|u| u.pointer("/constraints/hidden"))
        .is_some_and(truthy);
    if hidden || kind == "oauthsetting" || kind == "gatewaysetting" {
        return;
    }
    let text = |key: &str| {
        ui.and_then(|u| u.get(key))
            .and_then(Value::as_str)
            .is_some_and(|t| !t.trim().is_empty())
    };
    let mut missing = Vec::new();
    if !text("displayName") {
        missing.push("`uiDefinition.displayName`");
    }
    if !text("description") {
        missing.push("`uiDefinition.description`");
    }
    if ui
        .and_then(|u| u.pointer("/constraints/required"))
        .is_none()
    {
        missing.push("`uiDefinition.constraints.required`");
    }
    if !missing.is_empty() {
        out.props(
            "C001",
            &p.pointer,
            format!(
                "connection parameter `{}` has no {}",
                p.name,
                missing.join(", ")
            ),
        )
        .key();
    }
}

fn policy_ids(props: &Value, out: &mut Findings) {
    let list = props
        .pointer("/properties/policyTemplateInstances")
        .and_then(Value::as_array);
    for (i, policy) in list.into_iter().flatten().enumerate() {
        let Some(id) = policy.get("templateId").and_then(Value::as_str) else {
            continue;
        };
        let at = format!("/properties/policyTemplateInstances/{i}/templateId");
        let lower = id.trim().to_ascii_lowercase();
        if POLICY_TEMPLATES.contains(&lower.as_str()) {
            if lower != id {
                out.props(
                    "C002",
                    at,
                    format!("policy template id `{id}` is not lower case"),
                )
                .help(format!("write `{lower}`"));
            }
            continue;
        }
        let p = out.props("C002", at, format!("unknown policy template `{id}`"));
        if let Some(near) = spelling::closest(&lower, &POLICY_TEMPLATES, 2) {
            p.help(format!("did you mean `{near}`?"));
        }
    }
}

fn security_agrees(s: &Subject, params: &[ConnParam], out: &mut Findings) {
    let kinds: Vec<String> = params.iter().map(ConnParam::kind).collect();
    let has = |k: &str| kinds.iter().any(|x| x == k);
    let defs = s
        .def()
        .get("securityDefinitions")
        .and_then(Value::as_object);
    let mut oauth_declared = false;
    for (name, scheme) in defs.into_iter().flatten() {
        let ty = scheme
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        let at = pointer::child("/securityDefinitions", name);
        let message = match ty.as_str() {
            "oauth2" => {
                oauth_declared = true;
                (!has("oauthsetting")).then(|| format!("security definition `{name}` is oauth2, but no connection parameter is an `oauthSetting`"))
            }
            "apikey" | "basic" => (!has("securestring")).then(|| {
                format!("security definition `{name}` is {ty}, but no connection parameter is a `securestring`")
            }),
            _ => None,
        };
        if let Some(message) = message {
            out.def("C005", at, message).key();
        }
    }
    if !oauth_declared {
        for p in params.iter().filter(|p| p.kind() == "oauthsetting") {
            out.props(
                "C005",
                pointer::child(&p.pointer, "type"),
                format!("connection parameter `{}` is an `oauthSetting`, but no security definition is oauth2", p.name),
            );
        }
    }
}

#[cfg(test)]
mod tests;
