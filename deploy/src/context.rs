//! Context lookups: what the CDK CLI does for a context entry an app needs
//! and `cdk.context.json` lacks — ask AWS, with credentials of the entry's
//! account, and hand the value back to be saved.
//!
//! One provider exists today, `availability-zones` (a VPC in a concrete
//! environment): EC2 `DescribeAvailabilityZones`, keeping the zones in state
//! `available`, in EC2's order, as the CDK CLI's `AZContextProviderPlugin`
//! does. The call is one signed EC2 Query request (SigV4 with `aws-sigv4`,
//! sent with the SDK's own HTTP client): `aws-sdk-ec2` would compile for
//! more than 7 minutes on a 2-core machine, measured, for this one call.

use std::time::SystemTime;

use aws_credential_types::provider::ProvideCredentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::http::HttpConnector;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_xml::decode::{Document, ScopedDecoder, try_data};
use ecscdk_synth::context::MissingContext;
use serde_json::Value as Json;

use crate::connection::{Connection, connect, runtime};
use crate::error::{Error, Result};

/// The CDK's provider name for an account's Availability Zones in a region.
const AVAILABILITY_ZONES: &str = "availability-zones";

/// The EC2 Query API version of `DescribeAvailabilityZones`.
const EC2_API_VERSION: &str = "2016-11-15";

/// Looks up every missing entry and returns `(key, value)` pairs to save.
///
/// # Errors
/// [`Error::Context`] for an entry of a provider this crate does not
/// know, or whose account is not the credentials' ([`Error::WrongAccount`]
/// then), or when AWS refuses the call: the message says how to write the
/// entry by hand instead.
pub fn lookup_context(
    missing: &[MissingContext],
    conn: &Connection,
) -> Result<Vec<(String, Json)>> {
    let rt = runtime()?;
    rt.block_on(async {
        let mut found = Vec::with_capacity(missing.len());
        for entry in missing {
            let query = &entry.query;
            let key = query.key();
            let fail = |reason: String| Error::Context {
                key: key.clone(),
                reason,
                example: query.example().to_string(),
            };
            if query.provider() != AVAILABILITY_ZONES {
                return Err(fail(format!(
                    "ecscdk cannot look up `{}` values",
                    query.provider()
                )));
            }
            let (Some(account), Some(region)) = (query.prop("account"), query.prop("region"))
            else {
                return Err(fail(
                    "the entry names no account and region to look in".to_owned(),
                ));
            };
            let aws = connect(conn, Some(region)).await?;
            let actual = crate::publish::caller_account(&aws, &key)
                .await
                .map_err(|e| match e {
                    Error::Service {
                        action, message, ..
                    } => fail(format!("{action} failed: {message}")),
                    other => fail(other.to_string()),
                })?;
            if actual != account {
                return Err(Error::WrongAccount {
                    stack: key.clone(),
                    expected: account.to_owned(),
                    actual,
                });
            }
            let zones = describe_availability_zones(&aws.sdk, region)
                .await
                .map_err(fail)?;
            if zones.is_empty() {
                return Err(fail(format!("EC2 reports no available zone in {region}")));
            }
            found.push((key, Json::from(zones)));
        }
        Ok(found)
    })
}

/// The zones `DescribeAvailabilityZones` reports `available`, in its order.
async fn describe_availability_zones(
    sdk: &aws_config::SdkConfig,
    region: &str,
) -> std::result::Result<Vec<String>, String> {
    let endpoint = sdk.endpoint_url().map_or_else(
        || {
            let suffix = if region.starts_with("cn-") {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            };
            format!("https://ec2.{region}.{suffix}/")
        },
        |url| format!("{}/", url.trim_end_matches('/')),
    );
    let body = format!("Action=DescribeAvailabilityZones&Version={EC2_API_VERSION}");
    let response = signed_post(sdk, region, "ec2", &endpoint, &body).await?;
    let (status, text) = response;
    if !(200..300).contains(&status) {
        return Err(match query_error(&text) {
            Some((code, message)) => {
                format!("EC2 DescribeAvailabilityZones failed: {code}: {message}")
            }
            None => format!(
                "EC2 DescribeAvailabilityZones failed with HTTP {status}: {}",
                text.chars().take(400).collect::<String>()
            ),
        });
    }
    available_zones(&text)
        .map_err(|e| format!("EC2's answer to DescribeAvailabilityZones does not parse: {e}"))
}

/// POSTs a form body signed with SigV4 for `service` in `region`; returns
/// the status and the body.
async fn signed_post(
    sdk: &aws_config::SdkConfig,
    region: &str,
    service: &str,
    url: &str,
    body: &str,
) -> std::result::Result<(u16, String), String> {
    let no_credentials = "no AWS credentials (environment, --profile, SSO or instance role)";
    let credentials = sdk
        .credentials_provider()
        .ok_or(no_credentials)?
        .provide_credentials()
        .await
        .map_err(|e| format!("{no_credentials}: {e}"))?;
    let identity: Identity = credentials.into();
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .to_owned();
    let content_type = "application/x-www-form-urlencoded; charset=utf-8";
    let mut request = http::Request::builder()
        .method("POST")
        .uri(url)
        .header("host", &host)
        .header("content-type", content_type)
        .body(body.to_owned())
        .map_err(|e| e.to_string())?;
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let signable = SignableRequest::new(
        "POST",
        url,
        [("host", host.as_str()), ("content-type", content_type)].into_iter(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _signature) = sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    instructions.apply_to_request_http1x(&mut request);
    let request = aws_smithy_runtime_api::http::Request::try_from(request.map(SdkBody::from))
        .map_err(|e| e.to_string())?;
    let connector = aws_smithy_http_client::Connector::builder()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::AwsLc,
        ))
        .build();
    let response = connector
        .call(request)
        .await
        .map_err(|e| format!("cannot reach {url}: {e}"))?;
    let status = response.status().as_u16();
    let bytes = ByteStream::new(response.into_body())
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .into_bytes();
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}

/// `zoneName` of every `availabilityZoneInfo/item` whose `zoneState` is
/// `available`.
fn available_zones(xml: &str) -> std::result::Result<Vec<String>, String> {
    let mut doc = Document::try_from(xml.as_bytes()).map_err(|e| e.to_string())?;
    let mut root = doc.root_element().map_err(|e| e.to_string())?;
    let mut zones = Vec::new();
    while let Some(mut section) = root.next_tag() {
        if !section.start_el().matches("availabilityZoneInfo") {
            continue;
        }
        while let Some(mut item) = section.next_tag() {
            let mut name = None;
            let mut state = None;
            while let Some(mut field) = item.next_tag() {
                if field.start_el().matches("zoneName") {
                    name = Some(text(&mut field)?);
                } else if field.start_el().matches("zoneState") {
                    state = Some(text(&mut field)?);
                }
            }
            if let (Some(name), Some("available")) = (name, state.as_deref()) {
                zones.push(name);
            }
        }
    }
    Ok(zones)
}

fn text(tag: &mut ScopedDecoder<'_, '_>) -> std::result::Result<String, String> {
    try_data(tag)
        .map(|t| t.into_owned())
        .map_err(|e| e.to_string())
}

/// The code and message of an EC2 Query error
/// (`<Response><Errors><Error><Code>…<Message>…`).
fn query_error(xml: &str) -> Option<(String, String)> {
    let mut doc = Document::try_from(xml.as_bytes()).ok()?;
    let mut root = doc.root_element().ok()?;
    while let Some(mut errors) = root.next_tag() {
        if !errors.start_el().matches("Errors") {
            continue;
        }
        while let Some(mut error) = errors.next_tag() {
            let (mut code, mut message) = (None, None);
            while let Some(mut field) = error.next_tag() {
                if field.start_el().matches("Code") {
                    code = text(&mut field).ok();
                } else if field.start_el().matches("Message") {
                    message = text(&mut field).ok();
                }
            }
            if let Some(code) = code {
                return Some((code, message.unwrap_or_default()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of EC2's answer, as documented for
    /// `DescribeAvailabilityZones` (trimmed).
    #[test]
    fn keeps_the_available_zones_in_order() {
        let xml = r#"<DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
   <requestId>e23c5a54-a29c-43ee-8b55-0c13c26e9e01</requestId>
   <availabilityZoneInfo>
      <item><zoneName>eu-west-1b</zoneName><zoneState>available</zoneState><regionName>eu-west-1</regionName></item>
      <item><zoneName>eu-west-1a</zoneName><zoneState>impaired</zoneState><regionName>eu-west-1</regionName></item>
      <item><zoneState>available</zoneState><zoneName>eu-west-1c</zoneName></item>
   </availabilityZoneInfo>
</DescribeAvailabilityZonesResponse>"#;
        assert_eq!(available_zones(xml).unwrap(), ["eu-west-1b", "eu-west-1c"]);
    }

    #[test]
    fn reads_query_errors() {
        let xml = "<Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors><RequestID>x</RequestID></Response>";
        assert_eq!(
            query_error(xml),
            Some((
                "AuthFailure".to_owned(),
                "AWS was not able to validate the provided access credentials".to_owned()
            ))
        );
        assert_eq!(query_error("<a/>"), None);
    }
}
