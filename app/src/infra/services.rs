//! The domains' own long-lived services (the answer writer of the rounds, for one), reachable
//! from the state without the plumbing knowing them: the server registers each one by its type
//! when it builds the app, and the domain that owns it asks for it by that type. A missing
//! service is an internal error, never a panic.

use crate::error::AppError;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Clone, Default)]
pub struct Services {
    by_type: Arc<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Services {
    /// The registry with `service` added (services are registered while the app is built).
    pub fn with<T: Any + Send + Sync>(self, service: T) -> Services {
        let mut by_type = Arc::unwrap_or_clone(self.by_type);
        by_type.insert(TypeId::of::<T>(), Arc::new(service));
        Services { by_type: Arc::new(by_type) }
    }

    /// The service of type `T`.
    pub fn get<T: Any + Send + Sync>(&self) -> Result<&T, AppError> {
        self.by_type
            .get(&TypeId::of::<T>())
            .and_then(|s| s.downcast_ref::<T>())
            .ok_or_else(|| AppError::internal(format!("service {} not registered", std::any::type_name::<T>())))
    }
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Services({} registered)", self.by_type.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_are_found_by_type() {
        struct Writer(u8);
        let services = Services::default().with(Writer(7)).with(String::from("x"));
        assert_eq!(services.get::<Writer>().map(|w| w.0), Ok(7));
        assert_eq!(services.get::<String>().map(String::as_str), Ok("x"));
        assert!(matches!(services.get::<u32>(), Err(AppError::Internal { .. })));
    }
}
