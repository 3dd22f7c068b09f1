//! The write path: create (with `If-None-Exist` on the client identifier where the server
//! declares `conditionalCreate`), version-aware update (`If-Match`), JSON Patch, several
//! creates in one `transaction`, and finding a resource by its client identifier (to learn
//! whether a write whose answer was lost was taken). Writes are sent once; a failure is a
//! typed `FhirError` (`kind()` is `Conflict` for 409, 412 and 422). Every write asks for
//! `Prefer: return=minimal`: the id and version come in the headers, not a copy of the
//! resource, which saves its bytes on a slow link.

use reqwest::header::{self, HeaderValue};
use serde_json::{Value, json};

use super::FhirClient;
use super::http::{FHIR_JSON, RawResponse};
use crate::fhir::error::FhirError;
use crate::fhir::write::{ClientId, WriteAnswer, WriteOp, parse_location, version_of_etag};

/// The JSON Patch MIME type.
const JSON_PATCH: &str = "application/json-patch+json";

/// A version-aware change: the method, what its body is, and the body.
struct Change<'a> {
    method: reqwest::Method,
    content_type: &'static str,
    body: &'a Value,
}

impl FhirClient {
    /// Send one write. A create carries `If-None-Exist` when `conditional` is true.
    pub async fn write(&self, op: &WriteOp, conditional: bool) -> Result<WriteAnswer, FhirError> {
        match op {
            WriteOp::Create {
                resource_type,
                identifier,
                resource,
            } => {
                let guard = conditional.then_some(identifier);
                self.create(resource_type, resource, guard).await
            }
            WriteOp::Update {
                resource_type,
                id,
                if_match,
                resource,
            } => {
                self.update(resource_type, id, resource, if_match.as_deref())
                    .await
            }
            WriteOp::Patch {
                resource_type,
                id,
                if_match,
                patch,
            } => {
                self.patch(resource_type, id, patch, if_match.as_deref())
                    .await
            }
        }
    }

    /// `POST [base]/Type`; with `if_none_exist`, only if no resource has that identifier
    /// (the server answers 200 with the one it has, or 412 if several have it).
    pub async fn create(
        &self,
        resource_type: &str,
        resource: &Value,
        if_none_exist: Option<&ClientId>,
    ) -> Result<WriteAnswer, FhirError> {
        let url = self.url(resource_type)?;
        let body = to_body(resource)?;
        let len = body.len() as u64;
        let mut req = self.write_request(self.inner.http.post(url), FHIR_JSON, body);
        if let Some(id) = if_none_exist {
            req = req.header(
                "If-None-Exist",
                header_value(&format!("identifier={}", id.token()))?,
            );
        }
        let label = format!("{resource_type} create");
        let resp = self.send_write(req, "POST", label, len).await?;
        let what = format!("the {resource_type} create");
        let mut a = answer(resp.ok_or_error(&what)?, resource_type)?;
        if let (None, Some(id)) = (&a.id, if_none_exist) {
            // The copy the server already had (200): some servers do not say where it is.
            if let Some((found, version)) = self
                .find_by_identifier(resource_type, id)
                .await?
                .into_iter()
                .next()
            {
                a.id = Some(found);
                a.version = a.version.or(version);
            }
        }
        Ok(a)
    }

    /// `PUT [base]/Type/id`, with `If-Match` when a version is given.
    pub async fn update(
        &self,
        resource_type: &str,
        id: &str,
        resource: &Value,
        if_match: Option<&str>,
    ) -> Result<WriteAnswer, FhirError> {
        let change = Change {
            method: reqwest::Method::PUT,
            content_type: FHIR_JSON,
            body: resource,
        };
        self.change(resource_type, id, change, if_match).await
    }

    /// `PATCH [base]/Type/id` with a JSON Patch, with `If-Match` when a version is given.
    pub async fn patch(
        &self,
        resource_type: &str,
        id: &str,
        patch: &Value,
        if_match: Option<&str>,
    ) -> Result<WriteAnswer, FhirError> {
        let change = Change {
            method: reqwest::Method::PATCH,
            content_type: JSON_PATCH,
            body: patch,
        };
        self.change(resource_type, id, change, if_match).await
    }

    /// A version-aware change of `Type/id` (an update or a patch).
    async fn change(
        &self,
        resource_type: &str,
        id: &str,
        change: Change<'_>,
        if_match: Option<&str>,
    ) -> Result<WriteAnswer, FhirError> {
        let url = self.resource_url(resource_type, id)?;
        let body = to_body(change.body)?;
        let len = body.len() as u64;
        let (method, verb) = match change.method {
            reqwest::Method::PATCH => ("PATCH", "patch"),
            _ => ("PUT", "update"),
        };
        let req = self.inner.http.request(change.method, url);
        let req = with_if_match(self.write_request(req, change.content_type, body), if_match)?;
        let resp = self
            .send_write(req, method, format!("{resource_type} {verb}"), len)
            .await?;
        let what = format!("{resource_type} '{id}'");
        let mut a = answer(resp.ok_or_error(&what)?, resource_type)?;
        a.id.get_or_insert_with(|| id.to_owned());
        Ok(a)
    }

    /// Several creates in one `transaction` (one round trip; all or none), each with
    /// `ifNoneExist` on its identifier when `conditional`. The answers, in order.
    pub async fn create_all(
        &self,
        creates: &[&WriteOp],
        conditional: bool,
    ) -> Result<Vec<WriteAnswer>, FhirError> {
        let mut entries = Vec::new();
        for op in creates {
            let WriteOp::Create {
                resource_type,
                identifier,
                resource,
            } = op
            else {
                return Err(FhirError::InvalidRequest {
                    detail: "only creates go in one transaction".into(),
                });
            };
            let mut request = json!({"method": "POST", "url": resource_type});
            if conditional {
                request["ifNoneExist"] = json!(format!("identifier={}", identifier.token()));
            }
            entries.push(
                json!({"fullUrl": identifier.value, "resource": resource, "request": request}),
            );
        }
        let bundle = json!({"resourceType": "Bundle", "type": "transaction", "entry": entries});
        let body = to_body(&bundle)?;
        let len = body.len() as u64;
        let url = self.url("")?;
        let req = self.write_request(self.inner.http.post(url), FHIR_JSON, body);
        let label = format!("transaction of {} creates", creates.len());
        let resp = self.send_write(req, "POST", label, len).await?;
        let resp = resp.ok_or_error("the transaction")?;
        let value = resp.json_resource(&["Bundle"])?;
        let answers: Vec<WriteAnswer> = value["entry"]
            .as_array()
            .map(|list| {
                list.iter()
                    .zip(creates)
                    .map(|(e, op)| entry_answer(&e["response"], op.resource_type()))
                    .collect()
            })
            .unwrap_or_default();
        if answers.len() != creates.len() {
            return Err(FhirError::BadResponse {
                detail: format!(
                    "the transaction answer has {} entries for {} writes",
                    answers.len(),
                    creates.len()
                ),
            });
        }
        Ok(answers)
    }

    /// The resources of `resource_type` that carry `identifier`: (id, version) of each.
    pub async fn find_by_identifier(
        &self,
        resource_type: &str,
        identifier: &ClientId,
    ) -> Result<Vec<(String, Option<String>)>, FhirError> {
        let mut url = self.url(resource_type)?;
        url.query_pairs_mut()
            .append_pair("identifier", &identifier.token())
            .append_pair("_elements", "id");
        let resp = self
            .get_if_changed(
                url,
                format!("{resource_type} search by identifier"),
                &Default::default(),
            )
            .await?;
        let resp = resp.ok_or_error(&format!("{resource_type} search"))?;
        let bundle = resp.json_resource(&["Bundle"])?;
        Ok(bundle["entry"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["resource"]["resourceType"] == resource_type)
            .filter_map(|e| {
                let r = &e["resource"];
                let id = r["id"].as_str()?.to_owned();
                Some((id, r["meta"]["versionId"].as_str().map(str::to_owned)))
            })
            .collect())
    }

    /// `Type/id` as it is now, with its version (for showing a conflict: theirs).
    pub async fn read_current(
        &self,
        resource_type: &str,
        id: &str,
    ) -> Result<(Value, Option<String>), FhirError> {
        let url = self.resource_url(resource_type, id)?;
        let resp = self
            .get_if_changed(url, format!("{resource_type} read"), &Default::default())
            .await?;
        let resp = resp.ok_or_error(&format!("{resource_type} '{id}'"))?;
        let version = resp.validators.etag.as_deref().and_then(version_of_etag);
        let value = resp.json_resource(&[resource_type])?;
        let version = version.or_else(|| value["meta"]["versionId"].as_str().map(str::to_owned));
        Ok((value, version))
    }

    fn write_request(
        &self,
        req: reqwest::RequestBuilder,
        content_type: &'static str,
        body: Vec<u8>,
    ) -> reqwest::RequestBuilder {
        req.header(header::CONTENT_TYPE, content_type)
            .header("Prefer", "return=minimal")
            .body(body)
    }
}

fn to_body(value: &Value) -> Result<Vec<u8>, FhirError> {
    serde_json::to_vec(value).map_err(|e| FhirError::InvalidRequest {
        detail: format!("the resource could not be encoded ({e})"),
    })
}

fn header_value(text: &str) -> Result<HeaderValue, FhirError> {
    HeaderValue::from_str(text).map_err(|_| FhirError::InvalidRequest {
        detail: "an identifier or version an HTTP header cannot carry".into(),
    })
}

fn with_if_match(
    req: reqwest::RequestBuilder,
    version: Option<&str>,
) -> Result<reqwest::RequestBuilder, FhirError> {
    Ok(match version {
        Some(v) => req.header(header::IF_MATCH, header_value(&format!("W/\"{v}\""))?),
        None => req,
    })
}

/// A successful write's answer: the id and version from `Location` and `ETag`.
fn answer(resp: RawResponse, resource_type: &str) -> Result<WriteAnswer, FhirError> {
    let located = resp
        .location
        .as_deref()
        .and_then(|l| parse_location(l, resource_type));
    let mut version = resp.validators.etag.as_deref().and_then(version_of_etag);
    if version.is_none() {
        version = located.as_ref().and_then(|(_, v)| v.clone());
    }
    let mut id = located.map(|(id, _)| id);
    if id.is_none() && !resp.body.is_empty() {
        // A server that ignored `Prefer: return=minimal` sent the resource.
        if let Ok(v) = resp.json_resource(&[resource_type]) {
            id = v["id"].as_str().map(str::to_owned);
            version = version.or_else(|| v["meta"]["versionId"].as_str().map(str::to_owned));
        }
    }
    Ok(WriteAnswer {
        status: resp.status,
        id,
        version,
    })
}

/// One entry of a transaction answer (`response.status`, `location`, `etag`).
fn entry_answer(response: &Value, resource_type: &str) -> WriteAnswer {
    let status = response["status"]
        .as_str()
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let located = response["location"]
        .as_str()
        .and_then(|l| parse_location(l, resource_type));
    let version = response["etag"]
        .as_str()
        .and_then(version_of_etag)
        .or_else(|| located.as_ref().and_then(|(_, v)| v.clone()));
    WriteAnswer {
        status,
        id: located.map(|(id, _)| id),
        version,
    }
}
