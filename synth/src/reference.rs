//! How a value of one stack reaches another stack of the app.
//!
//! A strong reference is an `Export` in the producer and `Fn::ImportValue`
//! in the consumer: CloudFormation then refuses to change or remove the
//! export while the consumer imports it, which protects the consumer and can
//! lock both stacks (the "deadly embrace": a producer change that needs the
//! export gone cannot deploy until the consumer stops importing it). A weak
//! reference is a plain output in the producer, read by the consumer with
//! `Fn::GetStackOutput`: nothing locks, but the consumer sees a new value
//! only on its own next update. aws-cdk-lib 2.276 renders both; its
//! recommended setting for new apps (`@aws-cdk/core:defaultCrossStackReferences`)
//! is weak, and an app that does not set it keeps strong references.

/// The kind of cross-stack reference synth writes.
///
/// Default: [`Strong`](Self::Strong), which is what the AWS CDK does when the
/// `@aws-cdk/core:defaultCrossStackReferences` flag is not set and what
/// every ecscdk app did before weak references existed, so deployed stacks
/// keep their exports. To move a deployed app from strong to weak, deploy
/// once with [`Both`](Self::Both), then with [`Weak`](Self::Weak).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReferenceStrength {
    /// `Export` + `Fn::ImportValue`: the producer cannot change or remove a
    /// value that a consumer imports; same account and region only.
    #[default]
    Strong,
    /// A plain output (`Publish/Output…`) + `Fn::GetStackOutput` (stack
    /// name, region, output name): no lock between the stacks, and it also
    /// reaches a stack of another region of the same account.
    Weak,
    /// The transition from strong to weak: the producer keeps its exports and
    /// adds the plain outputs, and the consumer reads with
    /// `Fn::GetStackOutput`, so that its next deploy releases the imports.
    Both,
}

impl ReferenceStrength {
    /// The value of the CDK's `@aws-cdk/core:defaultCrossStackReferences`
    /// flag that means the same.
    #[must_use]
    pub fn cdk_flag_value(self) -> &'static str {
        match self {
            Self::Strong => "strong",
            Self::Weak => "weak",
            Self::Both => "both",
        }
    }

    /// Whether the producer exports the value.
    pub(crate) fn exports(self) -> bool {
        matches!(self, Self::Strong | Self::Both)
    }

    /// Whether the producer publishes the value as a plain output.
    pub(crate) fn publishes(self) -> bool {
        matches!(self, Self::Weak | Self::Both)
    }
}
