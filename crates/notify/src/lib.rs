//! Alert delivery (issue 17): what a notification says ([`notice`]), where
//! it goes ([`target`]), each service's message format ([`format`]) and
//! signature ([`sign`]), one attempt to deliver it ([`deliver`]).

pub mod channels;
pub mod deliver;
pub mod format;
pub mod notice;
pub mod sender;
pub mod service;
pub mod sign;
pub mod silences;
pub mod target;

pub use deliver::{deliver, Outcome};
pub use notice::{Notice, NoticeAlert, NoticeState};
pub use sender::{Sender, Settings};
pub use service::NotifyService;
pub use target::{SmtpSettings, SmtpTls, Target};
