//! Web Form 2.0 forms: creation, the 20-minute expiry, listing and deletion, and the page's state machine
//! `NOT_YET_OPENED → IN_PROGRESS → COMPLETED | COMPLETED_WITH_ERROR | ABORTED`, plus `EXPIRED` for a
//! form not opened within 20 minutes of its creation.
//!
//! Every final status is reported to `callbacks.finalised`. A form that expires is noticed whenever the
//! store looks at it (and by the emulator's sweeper, see `crate::sweeper`); its callback waits in
//! [`Store::take_expired_web_forms`] until the caller sends it.

use super::Store;
use crate::config::Mode;
use crate::format::web_form_timestamp;
use finapi::web_form::{BANK_CONNECTION_NAME_LENGTH, MAX_DAYS_FOR_DOWNLOAD, WEB_FORM_LIFETIME_SECONDS};
use finapi::{BankConnectionImportDetails, WebForm, WebFormPayload, WebFormStatus, WebFormType};
use time::{Duration, OffsetDateTime};

#[derive(Debug, Clone)]
pub struct WebFormRecord {
    /// A UUID (36 characters), as finAPI's. Whoever knows it can open the page once, as with finAPI's URL.
    pub id: String,
    /// The canonical id of the user whose token created it: only they can read it through the API.
    pub owner: String,
    pub created_at: OffsetDateTime,
    pub status: WebFormStatus,
    pub payload: WebFormPayload,
    pub redirect_url: Option<String>,
    pub callback_url: Option<String>,
    /// Creation order, to list forms created at the same instant in a stable order.
    pub sequence: u64,
}

impl WebFormRecord {
    pub fn expires_at(&self) -> OffsetDateTime {
        self.created_at + Duration::seconds(WEB_FORM_LIFETIME_SECONDS)
    }

    /// A form not opened within its lifetime becomes `EXPIRED`. A form already opened is not cut off:
    /// finAPI's 20 minutes are documented for opening the URL. Returns whether the form expired now.
    fn apply_expiry(&mut self, now: OffsetDateTime) -> bool {
        let expires = self.status == WebFormStatus::NotYetOpened && now >= self.expires_at();
        if expires {
            self.status = WebFormStatus::Expired;
        }
        expires
    }

    fn finished(&self) -> Finished {
        Finished {
            web_form_id: self.id.clone(),
            status: self.status,
            redirect_url: self.redirect_url.clone(),
            callback_url: self.callback_url.clone(),
        }
    }

    pub fn to_wire(&self, base_url: &str) -> WebForm {
        WebForm {
            id: self.id.clone(),
            url: format!("{base_url}/wf/{}", self.id),
            created_at: web_form_timestamp(self.created_at),
            expires_at: web_form_timestamp(self.expires_at()),
            form_type: WebFormType::BankConnectionImport,
            status: self.status,
            payload: self.payload.clone(),
        }
    }
}

/// One entry of Web Form 2.0's `ValidationError.errors`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldViolation {
    pub field: &'static str,
    pub message: String,
}

/// What the emulator keeps of a valid `BankConnectionImportDetails`.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    pub redirect_url: Option<String>,
    pub callback_url: Option<String>,
}

/// Maximum length of `redirectUrl` and `callbacks.finalised`.
pub const MAX_URL_LENGTH: usize = 2048;
const ACCOUNT_TYPES: [&str; 7] = [
    "BAUSPAREN",
    "CHECKING",
    "CREDIT_CARD",
    "LOAN",
    "MEMBERSHIP",
    "SAVINGS",
    "SECURITY",
];

/// Checks the request as Web Form 2.0 does, collecting every violation (its 400 lists them all).
pub fn validate_import(
    details: &BankConnectionImportDetails,
    mode: Mode,
) -> Result<ImportRequest, Vec<FieldViolation>> {
    let mut violations = Vec::new();
    let mut violate = |field, message: String| violations.push(FieldViolation { field, message });
    let callback_url = details.callbacks.as_ref().and_then(|c| c.finalised.clone());
    if let Some(url) = &details.redirect_url {
        if let Err(message) = check_url(url, mode) {
            violate("redirectUrl", message);
        }
    }
    if let Some(url) = &callback_url {
        if let Err(message) = check_url(url, mode) {
            violate("callbacks.finalised", message);
        }
    }
    if let Some(bank) = &details.bank {
        if bank.id.is_some() && bank.search.is_some() {
            violate("bank", "only one of 'id' and 'search' may be given".into());
        }
    }
    if let Some(name) = &details.bank_connection_name {
        if !BANK_CONNECTION_NAME_LENGTH.contains(&name.chars().count()) {
            let (min, max) = BANK_CONNECTION_NAME_LENGTH.into_inner();
            violate("bankConnectionName", format!("size must be between {min} and {max}"));
        }
    }
    if let Some(days) = details.max_days_for_download {
        if !MAX_DAYS_FOR_DOWNLOAD.contains(&days) {
            let (min, max) = MAX_DAYS_FOR_DOWNLOAD.into_inner();
            violate("maxDaysForDownload", format!("must be between {min} and {max}"));
        }
    }
    if let Some(types) = &details.account_types {
        let unknown = types.iter().any(|t| !ACCOUNT_TYPES.contains(&t.as_str()));
        let repeated = (1..types.len()).any(|i| types[..i].contains(&types[i]));
        if unknown || repeated {
            violate(
                "accountTypes",
                format!("must be distinct values of {}", ACCOUNT_TYPES.join(", ")),
            );
        }
    }
    if let Some(profile) = &details.profile_id {
        if profile.chars().count() != 36 {
            violate("profileId", "size must be 36".into());
        }
    }
    if violations.is_empty() {
        Ok(ImportRequest {
            redirect_url: details.redirect_url.clone(),
            callback_url,
        })
    } else {
        Err(violations)
    }
}

/// A redirect or callback URL: 1–2048 characters, absolute, with a host and no user info; `https`, or
/// also `http` in sandbox mode. (finAPI's pattern also wants a dot in the host; the emulator does not, so
/// `http://localhost:…` works in development.)
fn check_url(value: &str, mode: Mode) -> Result<(), String> {
    if value.is_empty() || value.chars().count() > MAX_URL_LENGTH {
        return Err(format!("size must be between 1 and {MAX_URL_LENGTH}"));
    }
    let wanted = match mode {
        Mode::Live => "must be a valid https URL",
        Mode::Sandbox => "must be a valid http or https URL",
    };
    let url = reqwest::Url::parse(value).map_err(|_| wanted.to_owned())?;
    let scheme_ok = mode.allows_scheme(url.scheme());
    let host_ok = url.host_str().is_some_and(|host| !host.is_empty());
    let no_user_info = url.username().is_empty() && url.password().is_none();
    if scheme_ok && host_ok && no_user_info {
        Ok(())
    } else {
        Err(wanted.to_owned())
    }
}

/// Why the page cannot be shown (opened) or submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageError {
    Unknown,
    /// Submitted before being opened.
    NotOpened,
    /// Opened a second time: "You will be able to open the URL just once".
    AlreadyOpened,
    Expired,
    /// Already in a final state (other than `EXPIRED`).
    Finished(WebFormStatus),
}

/// What the person did on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageAction {
    Connect { login: String, pin: String },
    Cancel,
}

/// The result of a submission that ended the form.
#[derive(Debug, Clone)]
pub struct Finished {
    pub web_form_id: String,
    pub status: WebFormStatus,
    pub redirect_url: Option<String>,
    pub callback_url: Option<String>,
}

#[derive(Debug, Clone)]
pub enum SubmitOutcome {
    /// Not the test bank's credentials: the form stays `IN_PROGRESS` and the page is shown again.
    WrongCredentials {
        redirect_url: Option<String>,
    },
    Finished(Finished),
}

/// The finAPI Test Bank's online banking credentials (login, PIN).
pub const TEST_BANK_CREDENTIALS: [(&str, &str); 2] = [("demo", "demo"), ("demo_no_msa", "demo_no_msa")];

/// The emulator's own credentials for a bank that fails: the form ends `COMPLETED_WITH_ERROR` (finAPI's
/// Test Bank has no such login; this lets a partner try the error path).
pub const FAILING_BANK_CREDENTIALS: (&str, &str) = ("demo_error", "demo_error");
/// The payload of a form that ended `COMPLETED_WITH_ERROR`.
pub const FAILING_BANK_ERROR_CODE: &str = "BANK_SERVER_REJECTION";
pub const FAILING_BANK_ERROR_MESSAGE: &str =
    "The bank server rejected the request (finAPI emulator: online banking ID demo_error)";

/// `order` of `GET /api/webForms`: by `createdAt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CreatedAtOrder {
    #[default]
    Ascending,
    Descending,
}

impl Store {
    pub fn create_web_form(&mut self, owner: &str, request: ImportRequest, now: OffsetDateTime) -> WebFormRecord {
        let record = WebFormRecord {
            id: uuid::Uuid::new_v4().to_string(),
            owner: owner.to_owned(),
            created_at: now,
            status: WebFormStatus::NotYetOpened,
            payload: WebFormPayload::default(),
            redirect_url: request.redirect_url,
            callback_url: request.callback_url,
            sequence: self.next_web_form_sequence,
        };
        self.next_web_form_sequence += 1;
        self.web_forms.insert(record.id.clone(), record.clone());
        record
    }

    /// Applies the expiry to one form, queueing its callback if it expired just now.
    fn expire_web_form(&mut self, id: &str, now: OffsetDateTime) {
        if let Some(record) = self.web_forms.get_mut(id) {
            if record.apply_expiry(now) {
                self.expired_web_forms.push(record.finished());
            }
        }
    }

    /// Applies the expiry to every form (the sweeper's round).
    pub fn expire_web_forms(&mut self, now: OffsetDateTime) {
        let ids: Vec<String> = self.web_forms.keys().cloned().collect();
        for id in ids {
            self.expire_web_form(&id, now);
        }
    }

    /// Forms that expired since the last call, for their `finalised` callbacks.
    pub fn take_expired_web_forms(&mut self) -> Vec<Finished> {
        std::mem::take(&mut self.expired_web_forms)
    }

    /// The form with this id if `owner` (canonical user id) created it; others see nothing, as if it did
    /// not exist.
    pub fn web_form_of(&mut self, id: &str, owner: &str, now: OffsetDateTime) -> Option<WebFormRecord> {
        self.expire_web_form(id, now);
        self.web_forms.get(id).filter(|f| f.owner == owner).cloned()
    }

    /// `GET /api/webForms`: one page of the owner's forms by creation time, and how many there are.
    pub fn web_forms_of(
        &mut self,
        owner: &str,
        order: CreatedAtOrder,
        page: usize,
        per_page: usize,
        now: OffsetDateTime,
    ) -> (Vec<WebFormRecord>, usize) {
        self.expire_web_forms(now);
        let mut forms: Vec<&WebFormRecord> = self.web_forms.values().filter(|f| f.owner == owner).collect();
        forms.sort_by_key(|form| (form.created_at, form.sequence));
        if order == CreatedAtOrder::Descending {
            forms.reverse();
        }
        let total = forms.len();
        let page = forms
            .into_iter()
            .skip(page.saturating_sub(1).saturating_mul(per_page))
            .take(per_page)
            .cloned()
            .collect();
        (page, total)
    }

    /// `DELETE /api/webForms/{id}` by its owner; `false` if there is no such form of theirs.
    pub fn delete_web_form(&mut self, id: &str, owner: &str) -> bool {
        let owned = self.web_forms.get(id).is_some_and(|f| f.owner == owner);
        if owned {
            self.web_forms.remove(id);
        }
        owned
    }

    /// The page is shown: `NOT_YET_OPENED → IN_PROGRESS`, once. Returns the form as opened.
    pub fn open_web_form(&mut self, id: &str, now: OffsetDateTime) -> Result<WebFormRecord, PageError> {
        self.expire_web_form(id, now);
        let record = self.web_forms.get_mut(id).ok_or(PageError::Unknown)?;
        match record.status {
            WebFormStatus::NotYetOpened => {
                record.status = WebFormStatus::InProgress;
                Ok(record.clone())
            }
            WebFormStatus::InProgress => Err(PageError::AlreadyOpened),
            WebFormStatus::Expired => Err(PageError::Expired),
            status => Err(PageError::Finished(status)),
        }
    }

    /// The page was submitted: connect with the test bank's credentials, or cancel.
    pub fn submit_web_form(
        &mut self,
        id: &str,
        action: PageAction,
        now: OffsetDateTime,
    ) -> Result<SubmitOutcome, PageError> {
        self.expire_web_form(id, now);
        let next_bank_connection_id = self.next_bank_connection_id;
        let record = self.web_forms.get_mut(id).ok_or(PageError::Unknown)?;
        match record.status {
            WebFormStatus::InProgress => {}
            WebFormStatus::NotYetOpened => return Err(PageError::NotOpened),
            WebFormStatus::Expired => return Err(PageError::Expired),
            status => return Err(PageError::Finished(status)),
        }
        match action {
            PageAction::Connect { login, pin } if (login.as_str(), pin.as_str()) == FAILING_BANK_CREDENTIALS => {
                record.status = WebFormStatus::CompletedWithError;
                record.payload.error_code = Some(FAILING_BANK_ERROR_CODE.into());
                record.payload.error_message = Some(FAILING_BANK_ERROR_MESSAGE.into());
            }
            PageAction::Connect { login, pin } => {
                if !TEST_BANK_CREDENTIALS.contains(&(login.as_str(), pin.as_str())) {
                    return Ok(SubmitOutcome::WrongCredentials {
                        redirect_url: record.redirect_url.clone(),
                    });
                }
                record.status = WebFormStatus::Completed;
                record.payload.bank_connection_id = Some(next_bank_connection_id);
                self.next_bank_connection_id += 1;
                if let Some(owner) = self.users.get_mut(&record.owner) {
                    owner.bank_connection_imports.push(now);
                }
            }
            PageAction::Cancel => record.status = WebFormStatus::Aborted,
        }
        Ok(SubmitOutcome::Finished(record.finished()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use finapi::web_form::WebFormCallbacks;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-11-23 10:00 UTC);

    fn with_redirect(url: &str) -> BankConnectionImportDetails {
        BankConnectionImportDetails {
            redirect_url: Some(url.into()),
            ..Default::default()
        }
    }

    #[test]
    fn http_urls_only_in_sandbox() {
        let details = with_redirect("http://localhost:8080/done");
        assert!(validate_import(&details, Mode::Sandbox).is_ok());
        let errors = validate_import(&details, Mode::Live).unwrap_err();
        assert_eq!(errors[0].field, "redirectUrl");
        assert!(validate_import(&with_redirect("https://example.com/done"), Mode::Live).is_ok());
    }

    #[test]
    fn urls_are_limited_to_2048_characters_and_must_be_absolute() {
        let base = "https://example.com/";
        let longest = format!("{base}{}", "a".repeat(MAX_URL_LENGTH - base.len()));
        assert!(validate_import(&with_redirect(&longest), Mode::Live).is_ok());
        assert!(validate_import(&with_redirect(&format!("{longest}a")), Mode::Live).is_err());
        for bad in [
            "",
            "/relative",
            "ftp://example.com",
            "javascript:alert(1)",
            "https://user:pw@example.com",
        ] {
            assert!(validate_import(&with_redirect(bad), Mode::Sandbox).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_violation_is_listed() {
        let details = BankConnectionImportDetails {
            redirect_url: Some("nope".into()),
            callbacks: Some(WebFormCallbacks {
                finalised: Some("also nope".into()),
            }),
            max_days_for_download: Some(3651),
            account_types: Some(vec!["CHECKING".into(), "CHECKING".into()]),
            ..Default::default()
        };
        let fields: Vec<_> = validate_import(&details, Mode::Sandbox)
            .unwrap_err()
            .into_iter()
            .map(|v| v.field)
            .collect();
        assert_eq!(
            fields,
            [
                "redirectUrl",
                "callbacks.finalised",
                "maxDaysForDownload",
                "accountTypes"
            ]
        );
    }

    #[test]
    fn lifecycle_and_expiry() {
        let mut store = Store::new(&crate::EmulatorConfig::development());
        let form = store.create_web_form("jane", ImportRequest::default(), T0);
        assert!(store.web_form_of(&form.id, "john", T0).is_none());
        assert_eq!(
            store.submit_web_form(&form.id, PageAction::Cancel, T0).unwrap_err(),
            PageError::NotOpened
        );
        store.open_web_form(&form.id, T0).unwrap();
        assert_eq!(store.open_web_form(&form.id, T0).unwrap_err(), PageError::AlreadyOpened);
        let wrong = PageAction::Connect {
            login: "demo".into(),
            pin: "0000".into(),
        };
        assert!(matches!(
            store.submit_web_form(&form.id, wrong, T0),
            Ok(SubmitOutcome::WrongCredentials { .. })
        ));
        let right = PageAction::Connect {
            login: "demo".into(),
            pin: "demo".into(),
        };
        assert!(matches!(
            store.submit_web_form(&form.id, right, T0),
            Ok(SubmitOutcome::Finished(_))
        ));
        let done = store.web_form_of(&form.id, "jane", T0).unwrap();
        assert_eq!(done.status, WebFormStatus::Completed);
        assert_eq!(done.payload.bank_connection_id, Some(1));

        let late = store.create_web_form("jane", ImportRequest::default(), T0);
        let after = T0 + Duration::seconds(WEB_FORM_LIFETIME_SECONDS);
        assert_eq!(
            store
                .web_form_of(&late.id, "jane", after - Duration::milliseconds(1))
                .unwrap()
                .status,
            WebFormStatus::NotYetOpened
        );
        assert_eq!(
            store.web_form_of(&late.id, "jane", after).unwrap().status,
            WebFormStatus::Expired
        );
        assert_eq!(store.open_web_form(&late.id, after).unwrap_err(), PageError::Expired);
    }
}
