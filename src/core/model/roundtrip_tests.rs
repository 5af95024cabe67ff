//! Property test: any project survives a trip through its RON file format.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use proptest::{collection::vec, option};

use super::*;
use crate::adapters::store::{parse_project, project_to_string};

fn text() -> impl Strategy<Value = String> {
    // Any Unicode, quotes, backslashes and newlines included.
    prop_oneof![any::<String>(), "[a-zA-Z0-9 \"\\\\\n\t(),:]{0,40}"]
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..4_102_444_800, 0u32..1_000_000_000)
        .prop_map(|(s, ns)| Utc.timestamp_opt(s, ns).single().expect("in range"))
}

fn zone() -> impl Strategy<Value = chrono_tz::Tz> {
    (0..chrono_tz::TZ_VARIANTS.len()).prop_map(|i| chrono_tz::TZ_VARIANTS[i])
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        Just(Event::Created),
        Just(Event::StepDone),
        text().prop_map(|reason| Event::StepSkipped { reason }),
        Just(Event::StepReopened),
        text().prop_map(|check| Event::CheckAcknowledged { check }),
        (text(), text()).prop_map(|(field, value)| Event::FieldChanged { field, value }),
        text().prop_map(|path| Event::ArtifactMade { path }),
        (text(), text()).prop_map(|(to, subject)| Event::MailSent { to, subject }),
        Just(Event::Note),
    ]
}

fn entry() -> impl Strategy<Value = JournalEntry> {
    (
        instant(),
        option::of(text()),
        event(),
        text(),
        option::of(text()),
    )
        .prop_map(|(at, step, event, note, author)| JournalEntry {
            author,
            note,
            ..JournalEntry::new(at, step.as_deref(), event)
        })
}

fn channel() -> impl Strategy<Value = IntakeChannel> {
    prop_oneof![
        Just(IntakeChannel::Unrecorded),
        (text(), text(), text(), text()).prop_map(|(from, subject, date, message_id)| {
            IntakeChannel::Mail {
                from,
                subject,
                date,
                message_id,
            }
        }),
        text().prop_map(|url| IntakeChannel::PublicIssue { url }),
    ]
}

fn issue() -> impl Strategy<Value = Issue> {
    let people = (
        text(),
        text(),
        option::of(prop_oneof![
            Just(Credit::Anonymous),
            text().prop_map(Credit::Named)
        ]),
        option::of(instant()),
        option::of(any::<bool>()),
    );
    let assessment = (
        prop_oneof![
            Just(Verdict::Pending),
            Just(Verdict::Security),
            Just(Verdict::NotSecurity)
        ],
        prop_oneof![
            Just(CveState::NotNeeded),
            Just(CveState::ToRequest),
            Just(CveState::Requested),
            text().prop_map(|id| CveState::Assigned { id })
        ],
        option::of(prop::sample::select(Severity::ALL.to_vec())),
        option::of((any::<bool>(), text())).prop_map(|c| {
            c.map(|(v4, vector)| Cvss {
                version: if v4 {
                    CvssVersion::V4_0
                } else {
                    CvssVersion::V3_1
                },
                vector,
            })
        }),
        option::of(prop::sample::select(ImpactKind::ALL.to_vec())),
        vec(
            (text(), option::of(text()))
                .prop_map(|(introduced, fixed)| AffectedRange { introduced, fixed }),
            0..3,
        ),
    );
    let texts = (
        text(),
        text(),
        text(),
        option::of(text()),
        any::<bool>(),
        text(),
    );
    let rest = (
        option::of(prop_oneof![
            Just(ReleaseStrategy::PatchLevel),
            Just(ReleaseStrategy::NextRelease)
        ]),
        vec(
            (text(), text(), text()).prop_map(|(id, branch, summary)| FixCommit {
                id,
                branch,
                summary,
            }),
            0..3,
        ),
        vec(
            (text(), text()).prop_map(|(scheme, id)| Identifier { scheme, id }),
            0..2,
        ),
        prop::collection::btree_map(text(), text(), 0..3),
        vec(entry(), 0..6),
    );
    (
        text(),
        text(),
        instant(),
        channel(),
        people,
        assessment,
        texts,
        rest,
    )
        .prop_map(
            |(id, title, received, channel, people, assessment, texts, rest)| {
                let mut i = Issue::new(id, title, received);
                i.intake.channel = channel;
                (
                    i.reporter.name,
                    i.reporter.contact,
                    i.reporter.credit,
                    i.reporter.deadline,
                    i.reporter.has_cve,
                ) = people;
                (
                    i.verdict,
                    i.cve,
                    i.severity,
                    i.cvss,
                    i.impact_kind,
                    i.affected,
                ) = assessment;
                (
                    i.description,
                    i.impact,
                    i.mitigation,
                    i.cwe,
                    i.actively_exploited,
                    i.early_advisory,
                ) = texts;
                (
                    i.strategy,
                    i.fix_commits,
                    i.other_ids,
                    i.step_notes,
                    i.journal,
                ) = rest;
                i
            },
        )
}

fn release() -> impl Strategy<Value = Release> {
    let artifact = (
        text(),
        any::<u64>(),
        text(),
        option::of(text()),
        option::of(text()),
    )
        .prop_map(|(path, size, sha256, signature, signer)| Artifact {
            path,
            kind: ArtifactKind::Tarball,
            size,
            sha256,
            signature,
            signer,
        });
    let milestones = prop::collection::btree_map(
        prop::sample::select(Milestone::ALL.to_vec()),
        instant(),
        0..3,
    );
    (
        text(),
        text(),
        option::of(instant()),
        option::of(instant()),
        vec(text(), 0..3),
        vec(artifact, 0..2),
        milestones,
    )
        .prop_map(
            |(id, version, planned, published, issues, artifacts, milestones)| Release {
                base_tag: (!version.is_empty()).then(|| format!("v{version}-base")),
                id,
                version,
                planned,
                published,
                issues,
                shares: planned
                    .map(|created| ShareCredential {
                        list: "Openwall distros".into(),
                        user: "openwall-distros".into(),
                        bcrypt: "$2y$10$abcdefghijklmnopqrstuu".into(),
                        realm: "embargo".into(),
                        ha1: "0123456789abcdef0123456789abcdef".into(),
                        created,
                        state: ShareState::Revoked,
                    })
                    .into_iter()
                    .collect(),
                artifacts,
                milestones,
            },
        )
}

fn project() -> impl Strategy<Value = Project> {
    let settings = (
        text(),
        prop_oneof![
            text().prop_map(PlaybookRef::Builtin),
            text().prop_map(PlaybookRef::File)
        ],
        (text(), vec(text(), 0..3), text(), text(), text(), text()),
        option::of((
            text(),
            prop_oneof![
                option::of(text()).prop_map(|homedir| KeyLocation::GpgAgent { homedir }),
                text().prop_map(|path| KeyLocation::KeyFile { path }),
            ],
        )),
        (text(), text(), any::<u16>(), text()),
        (zone(), vec(zone(), 0..5)),
        (
            0u32..24,
            0u32..24,
            zone(),
            0u32..24,
            0u32..60,
            vec((text(), 0i64..20000, 0i64..30), 0..3),
        ),
    );
    let recipient = (text(), text(), any::<bool>(), option::of(text())).prop_map(
        |(name, address, must_encrypt, cert)| Recipient {
            name,
            address,
            role: RecipientRole::Distros,
            cert_fingerprint: cert.clone(),
            cert,
            must_encrypt,
        },
    );
    (
        settings,
        vec(recipient, 0..3),
        vec(issue(), 0..4),
        vec(release(), 0..2),
        vec(entry(), 0..3),
        vec((text(), text(), option::of(text())), 0..3),
    )
        .prop_map(
            |(
                (name, playbook, repo, signing, mail, time, rules),
                recipients,
                issues,
                releases,
                journal,
                members,
            )| {
                let mut p = Project::new(name, playbook);
                p.repo.private_remotes = vec![format!("{}-mirror", p.repo.path.len())];
                p.repo.tarball_formats = vec![TarballFormat::Tar, TarballFormat::Xz];
                (
                    p.repo.path,
                    p.repo.public_remotes,
                    p.repo.version_file,
                    p.repo.version_pattern,
                    p.repo.tag_template,
                    p.repo.tarball_template,
                ) = repo;
                p.signing = signing.map(|(fingerprint, location)| SigningKeyRef {
                    fingerprint,
                    location,
                });
                (
                    p.mail.from,
                    p.mail.smtp_host,
                    p.mail.smtp_port,
                    p.mail.smtp_user,
                ) = mail;
                (p.time.home_zone, p.time.zones) = time;
                let (start, end, zone, hour, minute, blackouts) = rules;
                p.time.working_hours = (start, end);
                p.time.anchor = Anchor { zone, hour, minute };
                let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid");
                p.time.blackouts = blackouts
                    .into_iter()
                    .map(|(name, from, len)| Blackout {
                        name,
                        from: epoch + chrono::TimeDelta::days(from),
                        to: epoch + chrono::TimeDelta::days(from + len),
                    })
                    .collect();
                p.recipients = recipients;
                p.issues = issues;
                p.releases = releases;
                p.journal = journal;
                p.members = members
                    .into_iter()
                    .map(|(name, address, cert)| Member {
                        cert_fingerprint: cert.clone(),
                        cert,
                        ..Member::new(name, address)
                    })
                    .collect();
                p
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn project_round_trips_through_ron(p in project()) {
        let text = project_to_string(&p);
        let back = parse_project(&text, std::path::Path::new("generated.embargo.ron"))
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        // Entries get their ids on the first save, the same ones in memory.
        let mut p = p;
        p.fill_ids();
        prop_assert_eq!(&back, &p);
        // Stable: saving again gives the same bytes.
        prop_assert_eq!(project_to_string(&back), text);
    }
}
