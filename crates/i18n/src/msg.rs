//! Sentences the server builds: a key of the `msg` namespace and its
//! parameters. Rendered in the request's locale when they leave the server;
//! stored as they are (an alert's reason), so the next reader gets them in
//! their own language.

use crate::{current, fill, td_string, Locale};
use serde::{Deserialize, Serialize};

/// A parameter's value. Text and numbers read the same in every language;
/// a sentence within the sentence is rendered in the reader's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arg {
    Text(String),
    Msg(Box<Msg>),
    /// Sentences or phrases joined by the separator the key names
    /// (`sep_comma`, `sep_sentence`: Chinese joins them its own way).
    List(Vec<Msg>, MsgKey),
}

/// A sentence: its key and its named parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Msg {
    pub key: MsgKey,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, Arg)>,
}

impl Msg {
    pub fn new(key: MsgKey) -> Self {
        Self {
            key,
            args: Vec::new(),
        }
    }

    /// A parameter shown as it is (a name, a number already formatted).
    pub fn arg(mut self, name: &str, value: impl std::fmt::Display) -> Self {
        self.args.push((name.into(), Arg::Text(value.to_string())));
        self
    }

    /// Several sentences or phrases inside this one, joined by `sep`.
    pub fn list(mut self, name: &str, items: Vec<Msg>, sep: MsgKey) -> Self {
        self.args.push((name.into(), Arg::List(items, sep)));
        self
    }

    /// A sentence inside this one.
    pub fn part(mut self, name: &str, msg: Msg) -> Self {
        self.args.push((name.into(), Arg::Msg(Box::new(msg))));
        self
    }

    pub fn text_in(&self, l: Locale) -> String {
        let values: Vec<String> = self
            .args
            .iter()
            .map(|(_, a)| match a {
                Arg::Text(t) => t.clone(),
                Arg::Msg(m) => m.text_in(l),
                Arg::List(items, sep) => items
                    .iter()
                    .map(|m| m.text_in(l))
                    .collect::<Vec<_>>()
                    .join(sep.template(l)),
            })
            .collect();
        let pairs: Vec<(&str, &dyn std::fmt::Display)> = self
            .args
            .iter()
            .zip(&values)
            .map(|((n, _), v)| (n.as_str(), v as &dyn std::fmt::Display))
            .collect();
        fill(self.key.template(l), &pairs)
    }

    /// The parameters shown as they are that are words, not numbers: names
    /// and texts a cluster sent (a database, a job, StarRocks' reason). They
    /// stay as they are in every language, so a page marks them
    /// `translate="no"`.
    pub fn quoted(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (_, a) in &self.args {
            match a {
                Arg::Text(t) if t.chars().any(|c| c.is_alphabetic()) => out.push(t.clone()),
                Arg::Text(_) => {}
                Arg::Msg(m) => out.extend(m.quoted()),
                Arg::List(items, _) => out.extend(items.iter().flat_map(Msg::quoted)),
            }
        }
        out
    }

    /// In the locale of the request being served.
    pub fn text(&self) -> String {
        self.text_in(current())
    }
}

impl From<MsgKey> for Msg {
    fn from(key: MsgKey) -> Self {
        Msg::new(key)
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// Declares each message once: its Rust name and its key in `msg.json`.
/// The key is checked at compile time in every locale.
macro_rules! messages {
    ($($variant:ident => $key:ident),* $(,)?) => {
        /// Every sentence the server builds. Stored by name: renaming a
        /// variant breaks the alerts stored with it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum MsgKey { $($variant),* }

        impl MsgKey {
            pub const ALL: &'static [MsgKey] = &[$(MsgKey::$variant),*];

            /// The translation, with its `{name}` placeholders.
            pub fn template(self, l: Locale) -> &'static str {
                match self { $(MsgKey::$variant => td_string!(l, msg.$key)),* }
            }

            /// The key in `msg.json`.
            pub fn key(self) -> &'static str {
                match self { $(MsgKey::$variant => stringify!($key)),* }
            }
        }
    };
}

messages! {
    UnknownLanguage => unknown_language,
    TitleCollection => title_collection,
    TitleNodes => title_nodes,
    TitleDisk => title_disk,
    TitleCompaction => title_compaction,
    TitleJvmHeap => title_jvm_heap,
    TitleCpu => title_cpu,
    TitleErrorRate => title_error_rate,
    Quoted => quoted,
    NoAnswer => no_answer,
    TwoSentences => two_sentences,
    Sentence => sentence,
    SepComma => sep_comma,
    SepSentence => sep_sentence,
    CollectionNotYet => collection_not_yet,
    CollectionFailedOnce => collection_failed_once,
    CollectionFailedOnceAction => collection_failed_once_action,
    CollectionDown => collection_down,
    CollectionNever => collection_never,
    CollectionDownAction => collection_down_action,
    CollectionOk => collection_ok,
    MissingFeFigures => missing_fe_figures,
    MissingBeFigures => missing_be_figures,
    MissingFeAndBeFigures => missing_fe_and_be_figures,
    MissingFiguresAction => missing_figures_action,
    DeadNamesMore => dead_names_more,
    FeDead => fe_dead,
    FeDeadNamed => fe_dead_named,
    BeDead => be_dead,
    BeDeadNamed => be_dead_named,
    FeAndBeDead => fe_and_be_dead,
    NodesNotRead => nodes_not_read,
    NodesDeadAction => nodes_dead_action,
    NodesAllAlive => nodes_all_alive,
    DiskNotReported => disk_not_reported,
    DiskReason => disk_reason,
    DiskAction => disk_action,
    CompactionNotReported => compaction_not_reported,
    CompactionReason => compaction_reason,
    CompactionAction => compaction_action,
    HeapNotReported => heap_not_reported,
    HeapNoLimit => heap_no_limit,
    HeapReason => heap_reason,
    HeapAction => heap_action,
    CpuNoReading => cpu_no_reading,
    CpuReason => cpu_reason,
    CpuAction => cpu_action,
    ErrorRateNoRate => error_rate_no_rate,
    ErrorRateReason => error_rate_reason,
    ErrorRateAction => error_rate_action,
    NoSuccessYet => no_success_yet,
    ReachAddressFailed => reach_address_failed,
    ReachNoneRead => reach_none_read,
    ReachSomeRead => reach_some_read,
    ReachAllOtherWay => reach_all_other_way,
    PathDirect => path_direct,
    PathRegistered => path_registered,
    PathMysql => path_mysql,
    PathNone => path_none,
    WhyUnreachable => why_unreachable,
    WhyUnreachableMissing => why_unreachable_missing,
    WhyBadAnswers => why_bad_answers,
    MysqlMetricsFailed => mysql_metrics_failed,
    TitleTablets => title_tablets,
    TitleRoutineLoad => title_routine_load,
    TitleTransactions => title_transactions,
    TitleTxnFailed => title_txn_failed,
    TitleMetadata => title_metadata,
    TitleRowsets => title_rowsets,
    TitleSafeMode => title_safe_mode,
    TabletsNotReported => tablets_not_reported,
    TabletsHealthy => tablets_healthy,
    TabletsUnhealthy => tablets_unhealthy,
    TabletsAction => tablets_action,
    RoutineLoadNotReported => routine_load_not_reported,
    RoutineLoadOk => routine_load_ok,
    RoutineLoadPaused => routine_load_paused,
    RoutineLoadAction => routine_load_action,
    RoutineLoadPausedNamed => routine_load_paused_named,
    TxnRunningNotReported => txn_running_not_reported,
    TxnRunningReason => txn_running_reason,
    TxnRunningAction => txn_running_action,
    TxnFailedNoRate => txn_failed_no_rate,
    TxnFailedReason => txn_failed_reason,
    TxnFailedAction => txn_failed_action,
    MetaNotReported => meta_not_reported,
    MetaReason => meta_reason,
    MetaAction => meta_action,
    RowsetsNotReported => rowsets_not_reported,
    RowsetsReason => rowsets_reason,
    RowsetsAction => rowsets_action,
    SafeModeNotReported => safe_mode_not_reported,
    SafeModeOff => safe_mode_off,
    SafeModeOn => safe_mode_on,
    SafeModeAction => safe_mode_action,
}
