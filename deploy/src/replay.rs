//! Recorded answers for the tests: a stand-in HTTP client that answers
//! each AWS call with the next body recorded for its operation, so that
//! the SDK clients parse real wire formats and the code under test runs
//! unchanged.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

use crate::connection::{Aws, clients};

/// An HTTP status and a body.
type Answer = (u16, String);

/// Answers each call with the next recorded body for its operation, and
/// keeps the requests' bodies.
#[derive(Debug, Clone, Default)]
pub(crate) struct Replay {
    answers: Arc<Mutex<BTreeMap<String, VecDeque<Answer>>>>,
    requests: Arc<Mutex<Vec<(String, String)>>>,
}

impl Replay {
    pub(crate) fn answer(&self, operation: &str, body: impl Into<String>) -> &Self {
        self.answer_with(operation, 200, body)
    }
    /// An answer with another HTTP status (an error's).
    pub(crate) fn answer_with(
        &self,
        operation: &str,
        status: u16,
        body: impl Into<String>,
    ) -> &Self {
        self.answers
            .lock()
            .unwrap()
            .entry(operation.to_owned())
            .or_default()
            .push_back((status, body.into()));
        self
    }
    /// How many calls were made, of every operation.
    pub(crate) fn calls(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
    pub(crate) fn requests(&self, operation: &str) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(op, _)| op == operation)
            .map(|(_, body)| body.clone())
            .collect()
    }
}

impl HttpConnector for Replay {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let body = std::str::from_utf8(request.body().bytes().unwrap_or_default())
            .unwrap_or_default()
            .to_owned();
        // ECS speaks JSON with the operation in a header; Elastic Load
        // Balancing a form with `Action=`.
        let operation = match request.headers().get("x-amz-target") {
            Some(target) => target.rsplit('.').next().unwrap_or_default().to_owned(),
            None => body
                .split('&')
                .find_map(|kv| kv.strip_prefix("Action="))
                .unwrap_or_default()
                .to_owned(),
        };
        self.requests
            .lock()
            .unwrap()
            .push((operation.clone(), body));
        let (status, answer) = self
            .answers
            .lock()
            .unwrap()
            .get_mut(&operation)
            .and_then(VecDeque::pop_front)
            .unwrap_or_else(|| panic!("no recorded answer left for {operation}"));
        let status = StatusCode::try_from(status).unwrap();
        HttpConnectorFuture::ready(Ok(HttpResponse::new(status, SdkBody::from(answer))))
    }
}

impl HttpClient for Replay {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl Replay {
    /// The clients of one environment (us-east-1, dummy credentials), every
    /// call answered by this replay.
    pub(crate) fn aws(&self) -> Aws {
        let config = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    aws_credential_types::Credentials::new("AKID", "secret", None, None, "test"),
                ),
            )
            .http_client(SharedHttpClient::new(self.clone()))
            .build();
        clients(config)
    }
}

/// Runs a future to its end on a runtime of its own.
pub(crate) fn run<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}
