//! AWS Cloud Map: namespaces and services for service discovery.
