"""Interface strings in Japanese and English; Japanese is the default for the office.

Only the pages' own words live here: ring, movement, quadrant and technology names come
from :mod:`radar.labels` (so the chart, the legend, the pages and the digest agree).
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "title": {"ja": "トレンドレーダー", "en": "Trend Radar"},
    # pages
    "radar": {"ja": "レーダー", "en": "Radar"},
    "technology": {"ja": "技術", "en": "Technology"},
    "items": {"ja": "記事", "en": "Items"},
    "tagging": {"ja": "タグ付け", "en": "Tagging"},
    "models": {"ja": "モデル", "en": "Models"},
    "feeds": {"ja": "フィード", "en": "Feeds"},
    "digest": {"ja": "ダイジェスト", "en": "Digest"},
    # common
    "all": {"ja": "すべて", "en": "All"},
    "auto": {"ja": "自動判定", "en": "Detect"},
    "lang_ja": {"ja": "日本語", "en": "Japanese"},
    "lang_en": {"ja": "英語", "en": "English"},
    "link_column": {"ja": "記事へのリンク", "en": "Link"},
    "no_editions": {
        "ja": "まだレーダーの版がありません。`radar demo`（オフラインのデモ）を実行するか、"
        "`radar fetch --all` で記事を取得してから `radar radar build` を実行してください。",
        "en": "No radar editions yet. Run `radar demo` (offline demo data), or fetch items with "
        "`radar fetch --all` and then run `radar radar build`.",
    },
    # radar page
    "edition_week": {"ja": "版（週）", "en": "Edition (week)"},
    "quadrant": {"ja": "領域", "en": "Quadrant"},
    "ring": {"ja": "リング", "en": "Ring"},
    "min_relevance": {"ja": "自治体への関連度（以上）", "en": "Municipal relevance (at least)"},
    "min_relevance_help": {
        "ja": "直近26週にこの技術に言及した記事の、自治体関連度の平均です。",
        "en": "Mean municipal relevance of the items that mentioned the technology in the "
        "26 weeks behind the placement.",
    },
    "coverage_lang": {"ja": "報道の言語", "en": "Covered in"},
    "radar_caption": {
        "ja": "{week} の版: {total} 件中 {shown} 件を表示。点か一覧の名前を選ぶと詳細が開きます。"
        " ★ 新規、▲ 内側へ移動、▼ 外側へ移動、◆ 職員の判断。",
        "en": "Edition {week}: showing {shown} of {total}. Select a blip or a name in the list "
        "to open it. ★ new, ▲ moved in, ▼ moved out, ◆ staff decision.",
    },
    "changes": {"ja": "前の版からの変化（{n} 件）", "en": "Changes since the last edition ({n})"},
    "no_changes": {"ja": "変化はありません。", "en": "Nothing moved."},
    "none_shown": {"ja": "（該当なし）", "en": "(none shown)"},
    # technology page
    "score": {"ja": "スコア", "en": "Score"},
    "movement": {"ja": "前の版から", "en": "Since last edition"},
    "evidence_items": {"ja": "根拠記事（26週）", "en": "Evidence items (26 weeks)"},
    "evidence_help": {
        "ja": "{sources} 媒体、{weeks} 週にわたる言及",
        "en": "From {sources} sources, in {weeks} different weeks",
    },
    "human_decision": {
        "ja": "職員の判断: {by}（{at}、{week} から適用）: {comment}",
        "en": "Staff decision by {by} ({at}, applies from {week}): {comment}",
    },
    "why_here": {"ja": "この位置の理由", "en": "Why it sits here"},
    "model_kind": {"ja": "配置モデル: {model}", "en": "Placement model: {model}"},
    "model_kind_trained": {
        "ja": "過去の定着・一過性の実績から学習したモデル",
        "en": "learned from how past technologies turned out",
    },
    "model_kind_prior": {
        "ja": "あらかじめ決めた重み（学習に使える実績がまだ少ないため）",
        "en": "preset weights (too few past outcomes to learn from yet)",
    },
    "not_placed": {
        "ja": "{week} の版には載っていません（直近26週の言及が少なすぎます）。",
        "en": "Not on the {week} edition (too few mentions in the 26 weeks before).",
    },
    "weekly_coverage": {"ja": "週ごとの言及と媒体数", "en": "Weekly mentions and sources"},
    # technology page: adoption and attention series
    "series_heading": {"ja": "普及と注目の推移", "en": "Adoption and attention over time"},
    "series_help": {
        "ja": "ニュースの見出しとは別の公開データです。普及（求人・質問・ダウンロード）が続く技術は"
        "定着しやすく、注目（閲覧・検索）だけが伸びる技術は一時的な流行のことがあります。"
        "割合は各期間の全体に占める割合です。",
        "en": "Public series beside the headlines. Adoption (jobs, questions, downloads) that "
        "keeps up marks a standard; attention (pageviews, searches) that outruns it can mark a "
        "fad. Shares are of each period's total.",
    },
    "series_adoption": {"ja": "普及", "en": "adoption"},
    "series_attention": {"ja": "注目", "en": "attention"},
    "series_terms": {"ja": "名前: {terms}", "en": "As: {terms}"},
    "no_series": {
        "ja": "この技術の普及データはまだありません。`radar import-series` で取り込むか、"
        "毎月の更新をお待ちください。",
        "en": "No adoption series for this technology yet: import with `radar import-series` "
        "or wait for the monthly update.",
    },
    "ring_history": {"ja": "リングの推移", "en": "Ring history"},
    "never_placed": {
        "ja": "まだどの版にも載っていません。",
        "en": "Not placed in any edition yet.",
    },
    "evidence": {"ja": "根拠となった記事", "en": "Evidence items"},
    "no_evidence": {"ja": "根拠記事はありません。", "en": "No evidence items."},
    "evidence_shown": {
        "ja": "{total} 件中 {shown} 件を表示（採用・調達の記事、新しい順）",
        "en": "Showing {shown} of {total} (adoption news first, then newest)",
    },
    "evidence_show_all": {"ja": "{total} 件すべてを表示", "en": "Show all {total}"},
    "digest_subject": {"ja": "件名", "en": "Subject"},
    "override": {"ja": "リングを確認・変更する", "en": "Confirm or override the ring"},
    "override_comment": {"ja": "理由（レーダーに表示されます）", "en": "Why (shown on the radar)"},
    "override_applies": {
        "ja": "{week} の版から適用し、判断者として {user} を記録します。",
        "en": "Applies from the {week} edition on; recorded as decided by {user}.",
    },
    "override_save": {"ja": "判断を記録", "en": "Record decision"},
    "override_needs_comment": {"ja": "理由を書いてください。", "en": "Please say why."},
    # items page
    "search": {"ja": "全文検索（日本語の部分一致も可）", "en": "Full-text search"},
    "lang_filter": {"ja": "記事の言語", "en": "Item language"},
    "source": {"ja": "媒体", "en": "Source"},
    "published": {"ja": "公開日時", "en": "Published"},
    "headline": {"ja": "見出し", "en": "Headline"},
    "topic": {"ja": "領域（推定）", "en": "Topic"},
    "technologies": {"ja": "技術", "en": "Technologies"},
    "topic_confidence": {"ja": "領域の確信度", "en": "Topic confidence"},
    "relevance": {"ja": "自治体関連度", "en": "Municipal relevance"},
    "sources_in_story": {"ja": "同じ話題の媒体数", "en": "Sources for story"},
    "n_items": {"ja": "{n} 件", "en": "{n} items"},
    "empty_store": {
        "ja": "まだ記事がありません。`radar demo`（オフラインのデモ）か `radar fetch --all` "
        "を実行してください。",
        "en": "No items yet. Run `radar demo` (offline demo data) or `radar fetch --all`.",
    },
    "no_match": {"ja": "条件に合う記事はありません。", "en": "No items match."},
    # tagging page
    "queue_caption": {
        "ja": "今週の {n} 件。ボタンは Tab で移動し Enter で押せます。",
        "en": "This week's {n} items. Tab between buttons, Enter to press.",
    },
    "queue_empty": {"ja": "今週タグ付けする記事はありません。", "en": "Nothing to tag this week."},
    "undo": {"ja": "最後のタグを取り消す", "en": "Undo last tag"},
    "refresh_queue": {"ja": "キューを更新", "en": "Refresh queue"},
    "open_item": {"ja": "記事を開く", "en": "Open item"},
    "model_guess": {"ja": "モデルの推定", "en": "model guess"},
    "why_asked_uncertain": {"ja": "モデルが迷っている", "en": "model unsure"},
    "why_asked_disagree": {"ja": "ルールと食い違い", "en": "rules disagree"},
    "why_asked_random": {"ja": "無作為抽出", "en": "random check"},
    "why_asked_linked": {"ja": "リンクから", "en": "linked"},
    "verdict": {"ja": "定着か一過性か(職員の判断)", "en": "Standard or fad (staff verdict)"},
    "verdict_help": {
        "ja": "この技術全体について判断します。定着度モデルの学習ラベルになります。",
        "en": "A verdict on the whole technology; the staying model learns from it.",
    },
    "verdict_current": {
        "ja": "現在の判断: {verdict}({by}、{at})",
        "en": "Current verdict: {verdict} ({by}, {at})",
    },
    "show_why": {"ja": "推定の根拠", "en": "Why this guess"},
    "why_mentions": {"ja": "技術", "en": "Technologies"},
    "why_topic_terms": {"ja": "分野の手がかり語", "en": "Topic terms"},
    "why_rules": {"ja": "ルールの推定", "en": "Rules say"},
    "why_model": {"ja": "モデル単独の推定", "en": "Models alone say"},
    "why_meaning": {"ja": "見出しの意味からの推定", "en": "Headline meaning says"},
    "why_model_terms": {"ja": "語のモデルが重視した語", "en": "Word model's strongest terms"},
    "tag_quadrant": {"ja": "領域", "en": "Topic"},
    "tag_staying": {"ja": "定着するか", "en": "Staying power"},
    "tag_relevant": {"ja": "自治体に関係", "en": "Municipal"},
    "staying_fad": {"ja": "一過性", "en": "Fad"},
    "staying_standard": {"ja": "定着する", "en": "Standard"},
    "staying_unsure": {"ja": "わからない", "en": "Unsure"},
    "relevant_yes": {"ja": "関係あり", "en": "Relevant"},
    "relevant_no": {"ja": "関係なし", "en": "Not relevant"},
    "tagged_by": {"ja": "{by} が {at} にタグ付け", "en": "Tagged by {by} at {at}"},
    # models page
    "version": {"ja": "バージョン", "en": "Version"},
    "current": {"ja": "使用中", "en": "Current"},
    "heldout_basis": {"ja": "評価ラベル", "en": "Held-out labels"},
    "basis_tagged": {"ja": "職員のタグ", "en": "staff tags"},
    "basis_weak": {"ja": "ルール（参考値）", "en": "rules (flattering)"},
    "heldout_n": {"ja": "評価件数", "en": "Held out"},
    "quadrant_f1": {"ja": "領域 F1", "en": "Topic F1"},
    "quadrant_f1_ja": {"ja": "領域 F1（日本語の記事）", "en": "Topic F1 (Japanese items)"},
    "quadrant_f1_en": {"ja": "領域 F1（英語の記事）", "en": "Topic F1 (English items)"},
    "trained_at": {"ja": "学習日時", "en": "Trained at"},
    "relevance_auc": {"ja": "関連度 AUC", "en": "Relevance AUC"},
    "weak_basis_note": {
        "ja": "職員のタグが20件未満の版は、ルールのラベルで評価しているため数値が高めに出ます。",
        "en": "With fewer than 20 staff tags, versions are judged on rule labels, which "
        "flatters them.",
    },
    "judgment": {"ja": "レーダーの判定の確かさ", "en": "How far the radar's judgment holds"},
    "judgment_help": {
        "ja": "{editions}版（1年以上前の版を4週ごと）で公表したスコア{checked}件を、1年後に"
        "実際に起きたことと照らし合わせました。点が対角線に近いほど「70%」が本当に7割を意味します。"
        "ブライアスコア {brier:.3f}、較正誤差（ECE）{ece:.3f}（どちらも小さいほど良い）。",
        "en": "{checked} published scores in {editions} editions (every 4th edition at least "
        "a year old) checked against what happened a year later. The closer the points are "
        'to the diagonal, the more a "70%" means seven in ten. Brier score {brier:.3f}, '
        "expected calibration error {ece:.3f} (lower is better for both).",
    },
    "judgment_too_young": {
        "ja": "公表から1年たった版がまだ少なく、判定の確かさは測れません（{checked}件）。"
        "過去の見出しを取り込むと（radar import-archive）すぐに測れます。",
        "en": "Too few editions are a year old to check the judgment yet ({checked} scores). "
        "Importing past headlines (radar import-archive) makes it measurable at once.",
    },
    "ring_mix": {"ja": "版ごとのリングの内訳", "en": "Rings in each edition"},
    "no_models": {
        "ja": "学習済みモデルはまだありません。記事はルールで分類されています。",
        "en": "No trained model yet; items are scored by the rules.",
    },
    "model_changed": {
        "ja": "現在のモデルは {at} に更新されました（{why}）。",
        "en": "The current model changed on {at} ({why}).",
    },
    "why_first": {
        "ja": "最初の取得後に自動で学習",
        "en": "trained on its own after the first fetch",
    },
    "why_tags": {
        "ja": "職員のタグが増えたため自動で再学習",
        "en": "retrained on its own after new staff tags",
    },
    "why_weekly": {"ja": "毎週の定期再学習", "en": "the weekly retraining"},
    "why_staff": {"ja": "職員の指示で再学習", "en": "retrained on request"},
    "why_switch": {"ja": "職員が切り替え", "en": "switched by staff"},
    "retrain": {"ja": "再学習", "en": "Retrain"},
    "retrain_help": {
        "ja": "裏で学習し、今のモデルより明らかに悪く（差が {tolerance} を超えて）"
        "なければ採用して、最新の版を作り直します。",
        "en": "Trains in the background; the new version is promoted unless it is measurably "
        "worse (by more than {tolerance}), then the newest edition is rebuilt.",
    },
    "force_promote": {"ja": "評価にかかわらず採用する", "en": "Promote even if worse"},
    "retrain_start": {"ja": "再学習を始める", "en": "Start retraining"},
    "model_promoted": {
        "ja": "新しいバージョン {version} を採用しました。",
        "en": "New version {version} promoted.",
    },
    "model_kept_recipe": {
        "ja": "今のモデルは別の条件({what})で学習されています。規則由来の評価ラベルではこの違いを"
        "判定できないため、切り替えるには「評価にかかわらず採用する」を選んで再学習してください。",
        "en": "The current model was trained with another {what}; labels from the rules"
        ' cannot judge that change, so to switch, retrain with "Promote even if worse".',
    },
    "recipe_seed_examples": {"ja": "例文ファイル seed_examples.yaml", "en": "seed examples file"},
    "recipe_relevance_encoder": {
        "ja": "関連度を読む文の符号化器 (classify.relevance_encoder)",
        "en": "relevance encoder setting (classify.relevance_encoder)",
    },
    "recipe_sentence_model": {
        "ja": "見出しの意味を読むモデルの有無",
        "en": "sentence model setting",
    },
    "switch_model": {"ja": "採用・切り戻し", "en": "Promote or roll back"},
    "switch_start": {"ja": "このバージョンを使う", "en": "Use this version"},
    # background jobs
    "job_retrain": {"ja": "再学習", "en": "Retraining"},
    "job_editions": {"ja": "版の再作成", "en": "Rebuilding editions"},
    "job_model": {"ja": "モデルの切り替え", "en": "Switching model"},
    "job_starting": {"ja": "開始中", "en": "starting"},
    "job_running": {"ja": "{what}を実行中: {step}", "en": "{what} in progress: {step}"},
    "job_done": {"ja": "{what}が終わりました。", "en": "{what} finished."},
    "job_failed": {"ja": "{what}に失敗しました: {error}", "en": "{what} failed: {error}"},
    "job_busy": {
        "ja": "同じ処理を別の人が実行中です。終わってからもう一度どうぞ。",
        "en": "Someone is already running this; try again when it has finished.",
    },
    # feeds page
    "feed_health": {"ja": "フィードの状態（不調なものが先頭）", "en": "Feed health (broken first)"},
    "status": {"ja": "状態", "en": "Status"},
    "ok": {"ja": "正常", "en": "OK"},
    "unfetched": {"ja": "未取得", "en": "Not fetched yet"},
    "failing": {"ja": "エラー", "en": "Failing"},
    "disabled": {"ja": "停止中", "en": "Disabled"},
    "archive": {"ja": "過去記事の取込元", "en": "Archive source"},
    "last_success": {"ja": "最終成功", "en": "Last success"},
    "errors": {"ja": "連続エラー", "en": "Errors"},
    "next_due": {"ja": "次回取得", "en": "Next due"},
    "last_error": {"ja": "最後のエラー", "en": "Last error"},
    "no_feeds": {
        "ja": "フィードがありません。feeds.yaml に追加するか `radar demo` を実行してください。",
        "en": "No feeds. Add some to feeds.yaml or run `radar demo`.",
    },
    "feed_admin": {"ja": "フィードの管理", "en": "Manage feeds"},
    "add_feed": {"ja": "フィードを追加", "en": "Add a feed"},
    "feed_url": {"ja": "フィードの URL", "en": "Feed URL"},
    "feed_name": {"ja": "名前（空欄ならフィードの題名）", "en": "Name (blank: the feed's title)"},
    "feed_lang": {"ja": "言語", "en": "Language"},
    "feed_checking": {"ja": "フィードを確認しています…", "en": "Checking the feed…"},
    "feed_added": {"ja": "「{name}」を追加しました。", "en": "Added “{name}”."},
    "feed_error_private": {
        "ja": "この URL は組織内のネットワーク（非公開のアドレス）を指しているため、"
        "安全のため追加できません。必要な場合はシステム管理者にご相談ください。",
        "en": "This address points into a private network, so it cannot be added for safety. "
        "Ask your system administrator if you need it.",
    },
    "feed_error_exists": {
        "ja": "このフィードはすでに登録されています。",
        "en": "This feed is already subscribed.",
    },
    "feed_error_url": {
        "ja": "URL の形が正しくありません。http:// か https:// で始まる URL を入れてください。",
        "en": "This is not a valid address. Enter a URL starting with http:// or https://.",
    },
    "feed_error_http": {
        "ja": "サイトがフィードを返しませんでした（応答コード {status}）。URL を確かめてください。",
        "en": "The site did not return the feed (HTTP status {status}). Please check the URL.",
    },
    "feed_error_fetch": {
        "ja": "サイトに接続できませんでした。URL を確かめるか、時間をおいてお試しください。",
        "en": "The site could not be reached. Check the URL or try again later.",
    },
    "feed_error_parse": {
        "ja": "この URL はフィード（RSS や Atom）ではないようです。"
        "サイトの「RSS」などのリンク先の URL を入れてください。",
        "en": "This address does not look like a feed (RSS or Atom). Use the address of the "
        "site's feed link.",
    },
    "feed_error_other": {
        "ja": "フィードを追加できませんでした。URL を確かめてください。",
        "en": "The feed could not be added. Please check the URL.",
    },
    "disable_enable": {"ja": "取得の停止・再開", "en": "Stop or resume polling"},
    "disable_reason": {"ja": "停止する理由", "en": "Reason for stopping"},
    "disabled_by_staff": {"ja": "職員が停止", "en": "stopped by staff"},
    "disable": {"ja": "停止", "en": "Disable"},
    "enable": {"ja": "再開", "en": "Enable"},
    # digest page
    "digest_lang": {"ja": "メールの言語", "en": "Email language"},
    "digest_how": {
        "ja": "この版の週次ダイジェストを、送信される内容のまま表示します（テキスト版）。"
        "メールは設定された曜日と時刻に自動で送られます。",
        "en": "This edition's weekly digest exactly as it is sent (text version). The email "
        "goes out automatically on the configured day and hour.",
    },
    "digest_download": {"ja": "HTML 版をダウンロード", "en": "Download the HTML version"},
    # access
    "sign_in": {"ja": "サインイン", "en": "Sign in"},
    "sign_out": {"ja": "サインアウト", "en": "Sign out"},
    "user_name": {"ja": "ユーザー名", "en": "User name"},
    "password": {"ja": "パスワード", "en": "Password"},
    "signed_in_as": {"ja": "{user} としてサインイン中", "en": "Signed in as {user}"},
    "sign_in_sso": {
        "ja": "組織のアカウントでサインイン",
        "en": "Sign in with your organisation's account",
    },
    "signin_incomplete": {
        "ja": "ユーザー名とパスワードの両方を入力してください。",
        "en": "Please enter both your user name and your password.",
    },
    "signin_failed": {
        "ja": "ユーザー名かパスワードが違います。",
        "en": "Wrong user name or password.",
    },
    "signin_not_configured": {
        "ja": "サインインできる利用者がまだ登録されていないため、閲覧のみできます。"
        "変更が必要な場合はシステム管理者に利用者の登録を依頼してください。",
        "en": "No users are set up for signing in yet, so the app is read-only. Ask your "
        "system administrator to add users if you need to make changes.",
    },
    "signin_to_edit": {
        "ja": "変更するにはサイドバーからサインインしてください。",
        "en": "Sign in (sidebar) to make changes.",
    },
    "signin_to_read": {
        "ja": "閲覧にはサインインが必要です（サイドバー）。",
        "en": "Sign in (sidebar) to read the radar.",
    },
    "signin_locked": {
        "ja": "サインインの失敗が続いたため、しばらく受け付けません。{minutes} 分後にもう一度"
        "お試しください。",
        "en": "Too many failed sign-in tries. Please wait {minutes} minutes and try again.",
    },
    "search_too_big": {
        "ja": "検索語が多すぎるか長すぎます（{terms} 語、{chars} 文字まで）。"
        "語を絞ってもう一度検索してください。",
        "en": "This search is too long: use at most {terms} words and {chars} characters.",
    },
    "items_page_size": {"ja": "1 ページの件数", "en": "Items per page"},
    "items_page": {"ja": "ページ（全 {pages}）", "en": "Page (of {pages})"},
    "items_count": {
        "ja": "**{total} 件**中 {first}–{last} 件目",
        "en": "{first}–{last} of **{total}** items",
    },
    "items_excerpt": {"ja": "本文の該当箇所", "en": "Where it matches"},
    "items_link": {"ja": "記事", "en": "Article"},
    "items_open": {"ja": "開く", "en": "Open"},
    # write feedback (issue 13 item 7)
    "score_human": {
        "ja": "モデルの評価: {score}（職員の判断が優先）",
        "en": "Model score {score} (the staff decision wins)",
    },
    "score_human_help": {
        "ja": "リングは職員の判断で決まっています。スコアは記事から計算したモデルの評価で、"
        "参考として表示しています。",
        "en": "The ring was set by staff. The score is what the model makes of the coverage, "
        "shown for reference.",
    },
    "override_saved": {
        "ja": "{ring} として記録しました。版を作り直しています。",
        "en": "Recorded as {ring}. The editions are being rebuilt.",
    },
    "step_fetch": {"ja": "フィードの取得", "en": "Fetching feeds"},
    "step_link": {"ja": "記事と技術の結び付け", "en": "Linking items to technologies"},
    "step_score": {"ja": "記事の採点", "en": "Scoring items"},
    "step_editions": {"ja": "版の作成", "en": "Building editions"},
    "step_train_read": {"ja": "記事とタグの読み込み", "en": "Reading items and tags"},
    "step_train_fit": {"ja": "{n} 件の記事で学習", "en": "Training on {n} items"},
    "step_train_evaluate": {
        "ja": "評価用に取り分けた {n} 件で評価",
        "en": "Evaluating on {n} held-out items",
    },
    "step_train_score": {"ja": "すべての記事を採点し直し", "en": "Scoring every item"},
    "compare_better": {
        "ja": "今のモデルより良い結果でした（差が {tolerance} を超えています）。",
        "en": "It did better than the current model (by more than {tolerance}).",
    },
    "compare_same": {
        "ja": "今のモデルとの差は {tolerance} 以内で、違いは測れません。"
        "新しい記事とタグを学んだ新しいバージョンを使います。",
        "en": "No measurable difference from the current model (within {tolerance}); the "
        "new version, which has read the newest items and tags, is used.",
    },
    "compare_worse": {
        "ja": "今のモデルより {tolerance} を超えて悪い結果でした。",
        "en": "It did worse than the current model by more than {tolerance}.",
    },
    "compare_cannot_tell": {
        "ja": "評価ラベルがルール由来のため（職員のタグが20件未満）、"
        "どちらが良いかは判定できません。"
        "記事にタグを付けると、職員の判断で比べられるようになります。",
        "en": "The held-out labels come from the rules (fewer than 20 staff tags), so this "
        "comparison cannot tell which model is better. Tag items to compare on staff "
        "judgement.",
    },
    "model_kept_worse": {
        "ja": "新しいバージョン {version} は採用せず、今のモデルを使い続けます。",
        "en": "New version {version} was not promoted; the current model stays.",
    },
    "model_forced": {
        "ja": "新しいバージョン {version} を、評価にかかわらず採用しました。",
        "en": "New version {version} promoted regardless of the comparison.",
    },
}


def t(key: str, lang: str, **values: object) -> str:
    """Look up an interface string; unknown keys show as themselves so gaps are visible."""
    text = STRINGS.get(key, {}).get(lang) or STRINGS.get(key, {}).get("en") or key
    return text.format(**values) if values else text


def lang_name(code: str | None, lang: str) -> str:
    """A content language's name in the UI language ("英語", not "en"); unknown codes as is."""
    return t(f"lang_{code}", lang) if code in ("ja", "en") else code or "—"
