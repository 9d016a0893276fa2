// swift-tools-version:6.0
// Intake: hybrid intake and routing daemon. No SwiftPM package dependencies by design:
// C libraries come from Debian through .systemLibrary targets.
import PackageDescription

let package = Package(
    name: "Intake",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "intaked", targets: ["intaked"]),
        .executable(name: "intakectl", targets: ["intakectl"]),
    ],
    targets: [
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd",
                       providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        .target(name: "IntakeCore", dependencies: ["CCrypto"]),
        .target(name: "RuleLanguage"),
        .target(name: "RuleEngine", dependencies: ["IntakeCore", "RuleLanguage"]),
        .target(name: "Store", dependencies: ["IntakeCore", "AuditLog", "CSQLite"]),
        .target(name: "AuditLog", dependencies: ["IntakeCore"]),
        .target(name: "HTTPServer", dependencies: ["CMicroHTTPD"]),
        .target(name: "Redaction", dependencies: ["IntakeCore"]),
        .target(name: "Scheduling", dependencies: ["IntakeCore"]),
        .target(name: "Handoff", dependencies: ["IntakeCore"]),
        .target(name: "Voice", dependencies: ["IntakeCore"]),
        .target(name: "Prompts", dependencies: ["IntakeCore"]),
        .target(name: "ModelClient", dependencies: ["IntakeCore", "Redaction", "Prompts"]),
        .target(name: "Service", dependencies: ["IntakeCore", "RuleLanguage", "RuleEngine", "Store", "AuditLog", "HTTPServer", "Redaction", "Prompts", "ModelClient", "Scheduling", "Handoff", "Voice"]),
        .executableTarget(name: "intaked", dependencies: ["Service"]),
        .executableTarget(name: "intakectl", dependencies: ["Service"]),

        .testTarget(name: "IntakeCoreTests", dependencies: ["IntakeCore"]),
        .testTarget(name: "RuleLanguageTests", dependencies: ["RuleLanguage"]),
        .testTarget(name: "RuleEngineTests", dependencies: ["RuleEngine"], exclude: ["Fixtures"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "AuditLogTests", dependencies: ["AuditLog", "Store"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "RedactionTests", dependencies: ["Redaction"]),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling"], exclude: ["Fixtures"]),
        .testTarget(name: "HandoffTests", dependencies: ["Handoff"]),
        .testTarget(name: "VoiceTests", dependencies: ["Voice"]),
        .testTarget(name: "PromptsTests", dependencies: ["Prompts"]),
        .testTarget(name: "ModelClientTests", dependencies: ["ModelClient"]),
        .testTarget(name: "ServiceTests", dependencies: ["Service", "Store", "RuleEngine", "IntakeCore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Service"]),
    ],
    swiftLanguageModes: [.v6]
)
