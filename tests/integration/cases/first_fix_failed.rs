//! A fresh English export (not in the corpus) through the real pipeline: the first fix fails,
//! the second works, a status ping sits in between. The resolution, steps and cause must come
//! from the second plan, and the case must be published redacted.

use casebook::model::{Kind, Role, Status};

const EXPORT: &str = "Subject: RE: [Case: CAS-40001-ZX81QP] |P3|ORCHID| Outlook crashes with 0xc0000005 when opening shared calendars

====Message 1====

From: Nadia Rahman
Sent: 2024-03-04 09:12:00.000000+00:00
Body:
Hello support,

Since Friday Outlook crashes with 0xc0000005 on about 30 laptops as soon as a shared calendar is opened.
The Application log shows Event ID 1000 with faulting module olmapi32.dll.

Thanks,
Nadia Rahman

====Message 2====

From: Tomas Berg
Sent: 2024-03-04 11:40:00.000000+00:00
Body:
Hi Nadia,

Please send us a crash dump and the output of Get-AppxPackage from one affected laptop.

Best regards,
Tomas Berg

====Message 3====

From: Tomas Berg
Sent: 2024-03-05 10:00:00.000000+00:00
Body:
Hi Nadia,

The dump shows the crash inside the CalSync add-in. Please try this first:
1. Disable the CalSync add-in in File > Options > Add-ins.
2. Restart Outlook.

Best regards,
Tomas Berg

====Message 4====

From: Nadia Rahman
Sent: 2024-03-06 08:30:00.000000+00:00
Body:
Hi Tomas,

We disabled the add-in but Outlook still crashes when a shared calendar opens.

Thanks,
Nadia

====Message 5====

From: Tomas Berg
Sent: 2024-03-07 14:05:00.000000+00:00
Body:
Hi Nadia,

Thanks for testing. The second dump shows that the crash is caused by the outdated CalSync 4.1 component calsync.dll, which stays loaded even when the add-in is disabled.
Step 1: Uninstall CalSync 4.1 from Programs and Features.
Step 2: Install CalSync 4.2.1 and restart the laptop.
Step 3: Open a shared calendar to confirm.

Best regards,
Tomas Berg

====Message 6====

From: Tomas Berg
Sent: 2024-03-11 09:00:00.000000+00:00
Body:
Hi Nadia,
We are following up on the status of this case. Could you let us know whether the new version was installed?
Best regards,
Tomas Berg

====Message 7====

From: Nadia Rahman
Sent: 2024-03-12 16:20:00.000000+00:00
Body:
Hi Tomas,

With CalSync 4.2.1 Outlook works fine again on all laptops. Please close the case.

Thanks,
Nadia Rahman
";

#[test]
fn second_plan_is_the_resolution_and_the_case_is_redacted() {
    let out = crate::support::export::published_cases("en-outlook-calsync.txt", EXPORT);
    assert_eq!(out.len(), 1);
    let c = &out[0];
    assert_eq!(c.id, "CAS-40001-ZX81QP");
    assert_eq!(
        c.title,
        "Outlook crashes with 0xc0000005 when opening shared calendars"
    );
    assert_eq!(
        (c.customer.as_deref(), c.priority.as_deref()),
        (Some("ORCHID"), Some("P3"))
    );
    assert_eq!(c.language, "en");
    assert_eq!(c.status, Status::Resolved);
    let roles: Vec<Role> = c.messages.iter().map(|m| m.role).collect();
    use Role::{Customer as C, Engineer as E};
    assert_eq!(roles, [C, E, E, C, E, E, C]);
    let kinds: Vec<Kind> = c.messages.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::Report,
            Kind::InfoRequest,
            Kind::ActionPlan,
            Kind::CustomerUpdate,
            Kind::ActionPlan,
            Kind::StatusPing,
            Kind::Confirmation
        ]
    );
    assert_eq!(
        c.steps,
        [
            "Uninstall CalSync 4.1 from Programs and Features.",
            "Install CalSync 4.2.1 and restart the laptop.",
            "Open a shared calendar to confirm."
        ]
    );
    assert_eq!(
        c.resolution,
        "Step 1: Uninstall CalSync 4.1 from Programs and Features.\nStep 2: Install CalSync 4.2.1 and restart the laptop.\nStep 3: Open a shared calendar to confirm."
    );
    assert_eq!(
        c.cause,
        "The second dump shows that the crash is caused by the outdated CalSync 4.1 component calsync.dll, which stays loaded even when the add-in is disabled."
    );
    assert_eq!(
        c.diagnostics,
        ["Please send us a crash dump and the output of Get-AppxPackage from one affected laptop."]
    );
    assert_eq!(c.entities.files, ["calsync.dll", "olmapi32.dll"]);
    assert_eq!(
        c.entities.error_codes,
        ["0xc0000005", "1000", "Event ID 1000"]
    );
    assert_eq!(c.entities.versions, ["4.1", "4.2.1"]);
    let json = serde_json::to_string(c).unwrap();
    for name in ["Nadia", "Rahman", "Tomas", "Berg"] {
        assert!(!json.contains(name), "{name} published");
    }
    assert_eq!(c.messages[1].greeting.as_deref(), Some("Hi [customer-1],"));
}
