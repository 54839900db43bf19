//! Status: whether a case was resolved, and when it was closed.
//!
//! Takes the classified messages, gives a [`Status`] with the rule that decided it and the
//! index of the message that closed the case. `resolved` needs evidence that the fix worked: the
//! customer's confirmation, or a closure by support that names the fix (`确认您的问题已经解决`).
//! A closure for lack of reply, or a thread that just stops, is `unresolved`.

use super::kinds::{
    fires, ACKNOWLEDGES_FIX, CONFIRMS, FAILED, NO_REPLY, PARTLY_OR_BACK, WITHDRAWS,
};
use super::Turn;
use crate::model::{Kind, Role, Status};

/// What [`status`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub rule: &'static str,
    /// The message the fix was confirmed in (the customer's, else support's closure).
    pub confirmed_at: Option<usize>,
    /// The last confirmation or closure: the case's closing message.
    pub closed_at: Option<usize>,
}

pub fn status(turns: &[Turn]) -> Outcome {
    // A confirmation counts unless the customer later says the problem is back.
    let confirmation = turns
        .iter()
        .rposition(|t| t.role == Role::Customer && t.kind == Kind::Confirmation)
        .filter(|&i| {
            !turns[i + 1..].iter().any(|t| {
                t.role == Role::Customer
                    && (t.kind == Kind::Report
                        || fires(&FAILED, t.text).is_some()
                        || fires(&PARTLY_OR_BACK, t.text).is_some())
            })
        });
    // The customer's last "it is back" or "still fails": nothing before it resolves the case.
    let relapse = turns
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, t)| {
            t.role == Role::Customer
                && (fires(&FAILED, t.text).is_some() || fires(&PARTLY_OR_BACK, t.text).is_some())
        })
        .map(|(i, _)| i)
        .next_back();
    let after_relapse = |i: &usize| relapse.is_none_or(|r| *i > r);
    let fix_named_in_closure = turns
        .iter()
        .rposition(|t| {
            t.kind == Kind::Closure
                && t.role == Role::Engineer
                && (fires(&ACKNOWLEDGES_FIX, t.text).is_some()
                    || fires(&CONFIRMS, t.text).is_some())
                && fires(&NO_REPLY, t.text).is_none()
                && fires(&WITHDRAWS, t.text).is_none()
        })
        .filter(after_relapse);
    let closed_at = turns
        .iter()
        .rposition(|t| matches!(t.kind, Kind::Confirmation | Kind::Closure));
    let (status, rule, confirmed_at) = match (confirmation, fix_named_in_closure) {
        (Some(i), _) => (Status::Resolved, "customer_confirmed", Some(i)),
        (None, Some(i)) => (Status::Resolved, "closure_names_fix", Some(i)),
        (None, None) if closure_after_reply(turns).filter(after_relapse).is_some() => (
            Status::Resolved,
            "closure_after_reply",
            closure_after_reply(turns),
        ),
        (None, None) if closed_at.is_some() => (Status::Unresolved, "closed_without_fix", None),
        (None, None) => (Status::Unresolved, "no_confirmation", None),
    };
    Outcome {
        status,
        rule,
        confirmed_at,
        closed_at,
    }
}

/// Support closes the case right after the customer answered a plan, and neither side says it
/// failed, was withdrawn or went unanswered: the customer's answer was the confirmation. Gives
/// the customer's message.
fn closure_after_reply(turns: &[Turn]) -> Option<usize> {
    let j = turns.iter().rposition(|t| {
        t.role == Role::Engineer
            && t.kind == Kind::Closure
            && fires(&NO_REPLY, t.text).is_none()
            && fires(&WITHDRAWS, t.text).is_none()
    })?;
    let i = turns[..j].iter().rposition(|t| t.role == Role::Customer)?;
    let plan = turns[..i]
        .iter()
        .rposition(|t| t.role == Role::Engineer && t.kind == Kind::ActionPlan)?;
    let answer = &turns[i];
    let quiet = [&FAILED, &PARTLY_OR_BACK, &WITHDRAWS]
        .iter()
        .all(|cues| fires(cues, answer.text).is_none());
    (plan < i && quiet && answer.kind != Kind::StatusPing && answer.kind != Kind::Report)
        .then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(role: Role, kind: Kind, text: &'static str) -> Turn<'static> {
        Turn { role, kind, text }
    }

    #[test]
    fn confirmation_resolves_and_last_closure_closes() {
        let turns = [
            turn(Role::Engineer, Kind::ActionPlan, "1）禁用"),
            turn(Role::Customer, Kind::Confirmation, "问题已解决，请关单。"),
            turn(
                Role::Engineer,
                Kind::Closure,
                "确认您的问题已经解决，我将归档此案例。",
            ),
        ];
        let o = status(&turns);
        assert_eq!(o.status, Status::Resolved);
        assert_eq!(o.rule, "customer_confirmed");
        assert_eq!((o.confirmed_at, o.closed_at), (Some(1), Some(2)));
    }

    #[test]
    fn closing_for_no_reply_is_unresolved_but_closed() {
        let turns = [
            turn(Role::Customer, Kind::Report, "打印很慢"),
            turn(
                Role::Engineer,
                Kind::Closure,
                "由于长时间未收到您的回复，我们将关闭此案例。",
            ),
        ];
        let o = status(&turns);
        assert_eq!(
            (o.status, o.rule),
            (Status::Unresolved, "closed_without_fix")
        );
        assert_eq!(o.closed_at, Some(1));
    }

    #[test]
    fn silence_is_unresolved_and_open() {
        let turns = [turn(
            Role::Customer,
            Kind::Report,
            "Jobs stay in the queue.",
        )];
        let o = status(&turns);
        assert_eq!((o.status, o.rule), (Status::Unresolved, "no_confirmation"));
        assert_eq!(o.closed_at, None);
    }
}
