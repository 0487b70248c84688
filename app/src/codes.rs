//! How the platform's states and settings are written down: each enum has one code per variant
//! (`open`, `so_nganh`, `so_khao`), the same in the database (a TEXT column, on SQLite and on
//! PostgreSQL alike), in the JSON API and in forms. [`stored_code!`] declares the codes once
//! and makes the enum bindable and decodable with sqlx, so rows decode straight into the enum
//! and an unknown code in the database is a decode error, never a silent default.

/// An enum written as one code per variant.
pub trait Code: Sized + Copy + 'static {
    /// Every variant, in declaration order.
    const ALL: &'static [Self];

    /// The variant's code.
    fn code(self) -> &'static str;

    /// The variant of `text`, if it is a code.
    fn from_code(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == text)
    }
}

/// Declares the codes of an enum (which must also derive serde with the same names, as the
/// JSON API shows them; [`serde_agrees`] checks it in each enum's test) and, on the server,
/// its sqlx encoding as TEXT for the `Any` driver:
///
/// ```text
/// stored_code!(AttemptStatus { Open => "open", Submitted => "submitted" });
/// ```
#[macro_export]
macro_rules! stored_code {
    ($ty:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $crate::codes::Code for $ty {
            const ALL: &'static [Self] = &[$($ty::$variant),+];
            fn code(self) -> &'static str {
                match self {
                    $($ty::$variant => $code),+
                }
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Any> for $ty {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <str as sqlx::Type<sqlx::Any>>::type_info()
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> sqlx::Encode<'q, sqlx::Any> for $ty {
            fn encode_by_ref(&self, buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Any>>::encode($crate::codes::Code::code(*self), buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $ty {
            fn decode(value: <sqlx::Any as sqlx::Database>::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                <$ty as $crate::codes::Code>::from_code(&text).ok_or_else(|| format!("unknown {} code {text:?}", stringify!($ty)).into())
            }
        }
    };
}

/// Whether every variant's code is also its serde name (what the API and forms carry).
pub fn serde_agrees<T: Code + serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>() -> bool {
    T::ALL.iter().all(|v| {
        serde_json::to_value(v).ok().and_then(|j| j.as_str().map(str::to_string)).as_deref() == Some(v.code())
            && serde_json::from_value::<T>(serde_json::Value::String(v.code().into())).ok().as_ref() == Some(v)
    })
}

/// Stored JSON (settings, answers, plans) read back: a value that does not parse is a fault
/// of the platform's data, logged with `what` and answered as an internal error, never taken
/// as an empty default (a corrupt answer key must not score 0 in silence).
#[cfg(feature = "ssr")]
pub fn stored_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, crate::error::AppError> {
    serde_json::from_str(text).map_err(|e| crate::error::AppError::internal(format!("stored {what} does not parse: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Light {
        Green,
        AmberFlashing,
    }
    stored_code!(Light { Green => "green", AmberFlashing => "amber_flashing" });

    #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
    enum Misnamed {
        Green,
    }
    stored_code!(Misnamed { Green => "green" });

    #[test]
    fn codes_round_trip_and_agree_with_serde() {
        for v in Light::ALL {
            assert_eq!(Light::from_code(v.code()), Some(*v));
        }
        assert_eq!(Light::from_code("red"), None);
        assert!(serde_agrees::<Light>());
        assert!(!serde_agrees::<Misnamed>(), "serde writes \"Green\", the code is \"green\"");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn stored_json_refuses_what_does_not_parse() {
        assert_eq!(stored_json::<Vec<i64>>("[1,3]", "answer"), Ok(vec![1, 3]));
        assert!(matches!(stored_json::<Vec<i64>>("1,3", "answer"), Err(crate::error::AppError::Internal { .. })));
    }

    #[cfg(feature = "ssr")]
    #[tokio::test]
    async fn codes_are_bound_and_decoded_as_text() {
        sqlx::any::install_default_drivers();
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect("sqlite::memory:").await.unwrap();
        let back: Light = sqlx::query_scalar("SELECT $1").bind(Light::AmberFlashing).fetch_one(&mut conn).await.unwrap();
        assert_eq!(back, Light::AmberFlashing);
        let stored: String = sqlx::query_scalar("SELECT $1").bind(Light::Green).fetch_one(&mut conn).await.unwrap();
        assert_eq!(stored, "green");
        let unknown: Result<Light, _> = sqlx::query_scalar("SELECT 'red'").fetch_one(&mut conn).await;
        assert!(unknown.is_err(), "an unknown code is a decode error");
    }
}
