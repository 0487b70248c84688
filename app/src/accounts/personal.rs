//! Personal numbers (CCCD, phone) as the platform carries them: masked wherever they go
//! (`031*******34`, `091****678`) unless a policy check revealed them for this viewer
//! ([`crate::policy`]). Masking is the type's own serialised form, so a new page, API answer or
//! export that carries one cannot forget it; `Debug` masks too, so a log line cannot leak one.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Proof that a policy check allowed this viewer to see personal numbers in full. Only
/// [`crate::policy`] makes one.
#[derive(Debug, Clone, Copy)]
pub struct Reveal(pub(crate) ());

macro_rules! personal_number {
    ($name:ident, $mask:path, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name {
            value: String,
            revealed: bool,
        }

        impl $name {
            /// A number as stored: shown masked until revealed.
            pub fn new(value: impl Into<String>) -> Self {
                Self { value: value.into(), revealed: false }
            }

            /// The same number shown in full (the viewer passed a policy check).
            pub fn reveal(self, _: Reveal) -> Self {
                Self { revealed: true, ..self }
            }

            /// What a viewer sees: the number, or its masked form.
            pub fn shown(&self) -> String {
                if self.revealed { self.value.clone() } else { $mask(&self.value) }
            }

            /// The number itself, for the platform's own matching and sign-in; never for display.
            pub fn stored(&self) -> &str {
                &self.value
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.shown())
            }
        }

        /// What arrives (in the browser, from the server) is what this viewer may see.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(Self { value: String::deserialize(d)?, revealed: true })
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($name), $mask(&self.value))
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <str as sqlx::Type<sqlx::Any>>::type_info()
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(value: <sqlx::Any as sqlx::Database>::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                Ok(Self::new(<String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?))
            }
        }
    };
}

personal_number!(Cccd, super::validate::mask_cccd, "Số CCCD (12 digits), masked as `031*******34` unless revealed.");
personal_number!(Phone, super::validate::mask_phone, "A phone number (normalised `0912345678`), masked as `091****678` unless revealed.");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_unless_revealed_in_json_and_logs() {
        let cccd = Cccd::new("031095001234");
        assert_eq!(serde_json::to_string(&cccd).unwrap(), "\"031*******34\"");
        assert_eq!(format!("{cccd:?}"), "Cccd(031*******34)");
        let shown = cccd.clone().reveal(Reveal(()));
        assert_eq!(serde_json::to_string(&shown).unwrap(), "\"031095001234\"");
        assert_eq!(format!("{shown:?}"), "Cccd(031*******34)", "logs never show it");
        let phone = Phone::new("0912345678");
        assert_eq!(phone.shown(), "091****678");
        assert_eq!(phone.stored(), "0912345678");
        // What the browser receives stays as it was sent.
        let received: Phone = serde_json::from_str("\"091****678\"").unwrap();
        assert_eq!(serde_json::to_string(&received).unwrap(), "\"091****678\"");
    }
}
