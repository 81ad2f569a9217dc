//! Kernel parameters set in a container (`sysctl`, the task definition's
//! `SystemControls`), given with
//! [`ContainerBuilder::system_control`](crate::ecs::ContainerBuilder::system_control).
//!
//! ECS accepts only parameters that live in a namespace of the container's
//! own (API reference, `SystemControl`): the IPC ones (`kernel.msgmax`,
//! `kernel.msgmnb`, `kernel.msgmni`, `kernel.sem`, `kernel.shmall`,
//! `kernel.shmmax`, `kernel.shmmni`, `kernel.shm_rmid_forced` and
//! `fs.mqueue.*`) and the network ones (`net.*`). Not for Windows
//! containers; on Fargate, Linux platform 1.4.0 or later; a task in `host`
//! network mode cannot set the network ones.

use crate::cfn::ecs::task_definition::SystemControl as CfnSystemControl;
use crate::synth::Value;

/// The IPC-namespace parameters ECS names one by one.
const IPC_PARAMETERS: [&str; 8] = [
    "kernel.msgmax",
    "kernel.msgmnb",
    "kernel.msgmni",
    "kernel.sem",
    "kernel.shmall",
    "kernel.shmmax",
    "kernel.shmmni",
    "kernel.shm_rmid_forced",
];

/// The kernel namespace a parameter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KernelNamespace {
    /// Inter-process communication: shared memory, semaphores, message
    /// queues.
    Ipc,
    /// The network stack.
    Network,
}

/// One kernel parameter of a container and its value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SystemControl {
    pub(crate) namespace: String,
    pub(crate) value: Value<String>,
}

impl SystemControl {
    /// The kernel namespace of the parameter, or the reason ECS refuses it.
    pub(crate) fn kernel_namespace(&self) -> Result<KernelNamespace, String> {
        let name = self.namespace.as_str();
        if IPC_PARAMETERS.contains(&name) || has_suffix_after(name, "fs.mqueue.") {
            Ok(KernelNamespace::Ipc)
        } else if has_suffix_after(name, "net.") {
            Ok(KernelNamespace::Network)
        } else {
            Err(format!(
                "{name:?} is not a kernel parameter of the container's own IPC or network namespace, the only ones ECS sets (its `SystemControl` reference lists them); use an IPC one ({}, `fs.mqueue.*`) or a network one (`net.*`), or set it on the instance",
                IPC_PARAMETERS.map(|p| format!("`{p}`")).join(", ")
            ))
        }
    }

    /// The parameter as an item of the task definition's `SystemControls`.
    pub(crate) fn render(&self) -> CfnSystemControl {
        CfnSystemControl {
            namespace: Some(Value::from(self.namespace.as_str())),
            value: Some(self.value.clone()),
        }
    }
}

/// Whether `name` is `prefix` followed by something.
fn has_suffix_after(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|rest| !rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn namespace(name: &str) -> Result<KernelNamespace, String> {
        SystemControl {
            namespace: name.to_owned(),
            value: Value::from("1"),
        }
        .kernel_namespace()
    }

    #[test]
    fn sorts_parameters_into_their_namespaces() {
        assert_eq!(
            namespace("net.core.somaxconn"),
            Ok(KernelNamespace::Network)
        );
        assert_eq!(
            namespace("net.ipv4.tcp_keepalive_time"),
            Ok(KernelNamespace::Network)
        );
        assert_eq!(namespace("kernel.shmmax"), Ok(KernelNamespace::Ipc));
        assert_eq!(
            namespace("kernel.shm_rmid_forced"),
            Ok(KernelNamespace::Ipc)
        );
        assert_eq!(namespace("fs.mqueue.msg_max"), Ok(KernelNamespace::Ipc));
    }

    #[test]
    fn refuses_parameters_outside_the_containers_namespaces() {
        for name in [
            "vm.swappiness",
            "kernel.pid_max",
            "fs.file-max",
            "net.",
            "net",
            "",
        ] {
            assert!(namespace(name).is_err(), "{name:?}");
        }
    }

    #[test]
    fn renders_namespace_and_value() {
        let control = SystemControl {
            namespace: "net.core.somaxconn".to_owned(),
            value: Value::from("4096"),
        };
        assert_eq!(
            serde_json::to_value(control.render()).unwrap_or_default(),
            serde_json::json!({"Namespace": "net.core.somaxconn", "Value": "4096"})
        );
    }
}
