//! Where messages go: an SMTP server (`SETUBASHI_SMTP_URL`, e.g.
//! `smtps://user:pass@smtp.example.com`), or, by default, `.eml` files in a directory (the
//! embedded demo's mailbox, listed at `/dev/mail`).

use std::path::PathBuf;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::entities::mail_job;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// A message that could not be sent, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub message: String,
    /// A bad address or a permanent SMTP refusal: retrying will not help.
    pub permanent: bool,
}

impl Transport {
    /// SMTP when a URL is given, else files in `mailbox`.
    pub fn from_config(smtp_url: Option<&str>, mailbox: PathBuf) -> Result<Transport, String> {
        match smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|builder| Transport::Smtp(builder.build()))
                .map_err(|e| format!("SETUBASHI_SMTP_URL: {e}")),
            None => {
                std::fs::create_dir_all(&mailbox)
                    .map_err(|e| format!("{}: {e}", mailbox.display()))?;
                Ok(Transport::Files(AsyncFileTransport::new(mailbox)))
            }
        }
    }

    pub async fn send(&self, from: &Mailbox, job: &mail_job::Model) -> Result<(), SendError> {
        let permanent = |message: String| SendError {
            message,
            permanent: true,
        };
        let to: Mailbox = job
            .to_address
            .parse()
            .map_err(|e| permanent(format!("bad address: {e}")))?;
        let mut builder = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(job.subject.clone());
        if let Some(url) = &job.unsubscribe_url {
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ));
            // RFC 8058: mail clients may POST to it, one click, without opening a page
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
        }
        let text = MultiPart::alternative_plain_html(job.body_text.clone(), job.body_html.clone());
        let body = match (
            &job.attachment_name,
            &job.attachment_type,
            &job.attachment_body,
        ) {
            (Some(name), Some(kind), Some(content)) => {
                let kind = ContentType::parse(kind).map_err(|e| permanent(e.to_string()))?;
                MultiPart::mixed()
                    .multipart(text)
                    .singlepart(Attachment::new(name.clone()).body(content.clone(), kind))
            }
            _ => text,
        };
        let message = builder
            .multipart(body)
            .map_err(|e| permanent(e.to_string()))?;
        match self {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| SendError {
                permanent: e.is_permanent(),
                message: e.to_string(),
            }),
            Transport::Files(files) => {
                files
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError {
                        message: e.to_string(),
                        permanent: false,
                    })
            }
        }
    }
}
