//! Where and as whom AWS is called: the command line's connection options,
//! the SDK clients of one environment (retries, an endpoint override, a
//! region checked for its shape), and AWS errors turned into ours with the
//! fix for the usual causes.

use std::path::PathBuf;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::config::http::HttpResponse;
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};

use crate::error::{Error, Result};

/// Where and as whom to call AWS.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Connection {
    /// The named profile of ~/.aws/config to use.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// The region, for stacks whose environment does not name one.
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Send every call to this endpoint (e.g. a local moto server) instead of
    /// AWS; `AWS_ENDPOINT_URL` works too.
    #[arg(long, global = true)]
    pub endpoint_url: Option<String>,
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            file: PathBuf::from("<async runtime>"),
            source,
        })
}

/// The clients of one environment.
pub(crate) struct Aws {
    pub(crate) cfn: Client,
    pub(crate) autoscaling: aws_sdk_autoscaling::Client,
    pub(crate) s3: aws_sdk_s3::Client,
    pub(crate) ecr: aws_sdk_ecr::Client,
    pub(crate) ecs: aws_sdk_ecs::Client,
    pub(crate) elb: aws_sdk_elasticloadbalancingv2::Client,
    pub(crate) logs: aws_sdk_cloudwatchlogs::Client,
    pub(crate) sts: aws_sdk_sts::Client,
    pub(crate) region: String,
    /// The configuration the clients were made from (context lookups sign
    /// their own requests with it).
    pub(crate) sdk: aws_config::SdkConfig,
}

pub(crate) async fn connect(conn: &Connection, stack_region: Option<&str>) -> Result<Aws> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(8));
    if let Some(p) = &conn.profile {
        loader = loader.profile_name(p);
    }
    // The stack's environment wins over --region.
    if let Some(r) = stack_region
        .map(str::to_owned)
        .or_else(|| conn.region.clone())
    {
        loader = loader.region(aws_config::Region::new(r));
    }
    if let Some(e) = &conn.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    let config = loader.load().await;
    // AWS's own endpoints are named after the region: a malformed one
    // would only show, after a minute of retries, as a failed DNS lookup.
    // Another endpoint may name its regions as it likes.
    if config.endpoint_url().is_none()
        && let Some(r) = config.region()
        && !region_shaped(r.as_ref())
    {
        return Err(Error::InvalidArgument {
            argument: "region",
            value: r.to_string(),
            fix: "write a region code such as us-east-1 or eu-west-2 (an availability zone such as us-east-1a is not a region) in the stack's Env, --region, AWS_REGION or the profile",
        });
    }
    Ok(clients(config))
}

/// The clients of one environment, made from its configuration.
pub(crate) fn clients(config: aws_config::SdkConfig) -> Aws {
    let region = config
        .region()
        .map_or_else(|| "us-east-1".to_owned(), ToString::to_string);
    let s3_config = aws_sdk_s3::config::Builder::from(&config)
        .force_path_style(config.endpoint_url().is_some())
        .build();
    let cfn_config = aws_sdk_cloudformation::config::Builder::from(&config)
        .retry_classifier(UnreachableIsFinal)
        .build();
    Aws {
        cfn: Client::from_conf(cfn_config),
        autoscaling: aws_sdk_autoscaling::Client::new(&config),
        s3: aws_sdk_s3::Client::from_conf(s3_config),
        ecr: aws_sdk_ecr::Client::new(&config),
        ecs: aws_sdk_ecs::Client::new(&config),
        elb: aws_sdk_elasticloadbalancingv2::Client::new(&config),
        logs: aws_sdk_cloudwatchlogs::Client::new(&config),
        sts: aws_sdk_sts::Client::new(&config),
        region,
        sdk: config,
    }
}

/// Whether `region` has the shape of every AWS region code (`us-east-1`,
/// `us-gov-west-1`, `eusc-de-east-1`): a lowercase prefix, lowercase words,
/// and a number, joined by dashes.
fn region_shaped(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let lower = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    match parts.as_slice() {
        [prefix, words @ .., number] => {
            (2..=4).contains(&prefix.len())
                && lower(prefix)
                && !words.is_empty()
                && words.iter().all(lower)
                && (1..=2).contains(&number.len())
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// Leaves a refused connection and a host name DNS does not know unretried:
/// nothing listens at that address (a mistyped `--endpoint-url`, a local
/// server not started) or no such endpoint exists (a mistyped region), and
/// the eight attempts with backoff that throttling gets would keep the
/// command silent for about a minute. Timeouts, resets and temporary DNS
/// failures are still retried.
#[derive(Debug)]
struct UnreachableIsFinal;

impl aws_sdk_cloudformation::config::retry::ClassifyRetry for UnreachableIsFinal {
    fn classify_retry(
        &self,
        ctx: &aws_sdk_cloudformation::config::interceptors::InterceptorContext,
    ) -> aws_sdk_cloudformation::config::retry::RetryAction {
        use aws_sdk_cloudformation::config::retry::RetryAction;
        let Some(Err(err)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        let mut source: Option<&(dyn std::error::Error + 'static)> = err
            .as_connector_error()
            .map(|e| e as &(dyn std::error::Error + 'static));
        while let Some(e) = source {
            let refused = e
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused);
            // getaddrinfo's "no such name" (glibc, musl, macOS, Windows),
            // not its "temporary failure".
            let text = e.to_string();
            let unknown_host = [
                "Name or service not known",
                "Name does not resolve",
                "nodename nor servname provided",
                "No such host is known",
            ]
            .iter()
            .any(|m| text.contains(m));
            if refused || unknown_host {
                return RetryAction::RetryForbidden;
            }
            source = e.source();
        }
        RetryAction::NoActionIndicated
    }

    fn name(&self) -> &'static str {
        "UnreachableIsFinal"
    }
}

/// The message of an SDK error: the service's code and message, the
/// undecodable raw body when there is one, and a hint for the usual causes.
pub(crate) fn service_error<E>(
    stack: &str,
    action: &'static str,
    e: &SdkError<E, HttpResponse>,
) -> Error
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
{
    let mut message = match (e.code(), e.message()) {
        (Some(code), Some(msg)) => format!("{code}: {msg}"),
        (None, Some(msg)) => msg.to_owned(),
        _ => {
            // The chain of causes, without the Debug dump.
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                let part = cause.to_string();
                if !text.contains(&part) {
                    text = format!("{text}: {part}");
                }
                source = cause.source();
            }
            text
        }
    };
    if e.code().is_none()
        && let Some(raw) = e.raw_response()
    {
        // A body the SDK could not decode (e.g. JSON where XML was due):
        // show it as the reason.
        let body = raw
            .body()
            .bytes()
            .map(|b| {
                String::from_utf8_lossy(b)
                    .chars()
                    .take(600)
                    .collect::<String>()
            })
            .unwrap_or_default();
        message = format!("{message} (HTTP {}; raw response: {body})", raw.status());
    }
    let lower = message.to_lowercase();
    let fix = if lower.contains("credentials") {
        "configure credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a --profile, or SSO) and retry"
    } else if lower.contains("region") || lower.contains("dispatch failure") {
        "check --region / the stack's environment and --endpoint-url, and that the endpoint is reachable"
    } else if lower.contains("throttl") || lower.contains("rate exceeded") {
        "CloudFormation is throttling this account; wait a minute and retry"
    } else if lower.contains("updateterminationprotection")
        || lower.contains("termination protection")
    {
        "disable the stack's termination protection first"
    } else {
        "fix the cause above and retry"
    };
    Error::Service {
        stack: stack.to_owned(),
        action,
        message,
        fix: fix.to_owned(),
    }
}

pub(crate) fn is_missing<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
    e.message().is_some_and(|m| m.contains("does not exist"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_shape_of_region_codes() {
        for ok in [
            "us-east-1",
            "eu-central-2",
            "ap-southeast-7",
            "us-gov-west-1",
            "cn-northwest-1",
            "us-isob-east-1",
            "eusc-de-east-1",
        ] {
            assert!(region_shaped(ok), "{ok}");
        }
        for bad in [
            "us-east-1a",
            "useast1",
            "us-east",
            "US-EAST-1",
            "us-east-1 ",
            "us--east-1",
            "",
        ] {
            assert!(!region_shaped(bad), "{bad:?}");
        }
    }
}
