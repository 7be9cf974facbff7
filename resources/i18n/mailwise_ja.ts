<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About %1</source>
        <translation>%1 について</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>バージョン %1</translation>
    </message>
    <message>
        <source>A shared-mailbox client for support teams: who handles which message is kept on your own mail server.</source>
        <translation>サポートチーム向けの共有メールボックス クライアントです。どのメールを誰が対応しているかは、お使いのメールサーバー上で管理されます。</translation>
    </message>
    <message>
        <source>Runs on:</source>
        <translation>実行環境：</translation>
    </message>
    <message>
        <source>Profile folder:</source>
        <translation>プロファイル フォルダー：</translation>
    </message>
</context>
<context>
    <name>AccountDialog</name>
    <message>
        <source>Add shared mailbox</source>
        <extracomment>the paths of the dialog, in the order of its &quot;Mail service&quot; choice opens the sign-in page (tests: an HTTP client following the redirect) where settings are looked up (None: the Internet; tests: local servers) the SMTP server found with the settings, when one was the server rows, shown for a password sign-in only</extracomment>
        <translation>共有メールボックスを追加</translation>
    </message>
    <message>
        <source>Enter the shared mailbox&apos;s address: Mailwise finds the settings. Ask your administrator if unsure.</source>
        <translation>共有メールボックスのアドレスを入力すると、Mailwise が設定を探します。分からないときは管理者に確認してください。</translation>
    </message>
    <message>
        <source>Account name:</source>
        <translation>アカウント名:</translation>
    </message>
    <message>
        <source>Mailbox address:</source>
        <translation>メールアドレス:</translation>
    </message>
    <message>
        <source>Mail service:</source>
        <translation>メールサービス:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>サーバー:</translation>
    </message>
    <message>
        <source>Security:</source>
        <translation>暗号化:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>ポート:</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>ユーザー名:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>パスワード:</translation>
    </message>
    <message>
        <source>Private CA file:</source>
        <translation>社内 CA ファイル:</translation>
    </message>
    <message>
        <source>Pinned fingerprint:</source>
        <translation>固定するフィンガープリント:</translation>
    </message>
    <message>
        <source>Find from the address</source>
        <translation>アドレスから探す</translation>
    </message>
    <message>
        <source>Xserver (rental server)</source>
        <translation>エックスサーバー（レンタルサーバー）</translation>
    </message>
    <message>
        <source>Other server (enter the settings)</source>
        <translation>その他のサーバー（設定を入力）</translation>
    </message>
    <message>
        <source>Find settings</source>
        <translation>設定を探す</translation>
    </message>
    <message>
        <source>TLS (recommended)</source>
        <translation>TLS（推奨）</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>None — this computer only, for testing</source>
        <translation>なし — このコンピューター上のテスト用のみ</translation>
    </message>
    <message>
        <source>optional: your company&apos;s CA (PEM)</source>
        <translation>任意: 社内の CA 証明書（PEM）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>接続テスト</translation>
    </message>
    <message>
        <source>Add mailbox</source>
        <translation>追加する</translation>
    </message>
    <message>
        <source>Without encryption your password and mail cross the network readable by anyone. Only for a test server on this computer.</source>
        <translation>暗号化しないと、パスワードとメールが誰でも読める状態でネットワークを流れます。このコンピューター上のテストサーバー専用です。</translation>
    </message>
    <message>
        <source>Enter the mailbox&apos;s address first.</source>
        <translation>先にメールボックスのアドレスを入力してください。</translation>
    </message>
    <message>
        <source>Looking up the settings of %1…</source>
        <translation>%1 の設定を探しています…</translation>
    </message>
    <message>
        <source>Enter the mailbox&apos;s address and name the account.</source>
        <translation>メールボックスのアドレスとアカウント名を入力してください。</translation>
    </message>
    <message>
        <source>Enter the application (client) ID your administrator gave you (docs/PROVIDERS.md explains the registration).</source>
        <translation>管理者から受け取ったアプリケーション（クライアント）ID を入力してください（登録手順は docs/PROVIDERS.md にあります）。</translation>
    </message>
    <message>
        <source>Finish signing in in your browser…</source>
        <translation>ブラウザーでサインインを完了してください…</translation>
    </message>
    <message>
        <source>Private CA file</source>
        <translation>社内 CA ファイル</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation>証明書 (*.pem *.crt *.cer)</translation>
    </message>
    <message>
        <source>Enter the server and the user name.</source>
        <translation>サーバーとユーザー名を入力してください。</translation>
    </message>
    <message>
        <source>Enter the password.</source>
        <translation>パスワードを入力してください。</translation>
    </message>
    <message>
        <source>Unencrypted connections are only allowed to this computer.</source>
        <translation>暗号化なしの接続は、このコンピューター宛てにしか使えません。</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>%1 に接続しています…</translation>
    </message>
    <message>
        <source>Connected. This server can share handling state with your team.</source>
        <translation>接続できました。このサーバーでチームの対応状況を共有できます。</translation>
    </message>
    <message>
        <source>Connected. This server cannot keep handling state on messages (it lacks CONDSTORE or custom keywords), so your team&apos;s claims are kept in the team log in the team mailbox instead. Claims still go to exactly one person; other mail apps do not show them.</source>
        <translation>接続できました。このサーバーはメッセージに対応状況を保存できない（CONDSTORE またはカスタムキーワードに未対応）ため、チームの担当はチームメールボックスのチームログで管理します。担当の取得は必ず一人だけに決まります。ほかのメールソフトには表示されません。</translation>
    </message>
    <message>
        <source>Its SHA-256 fingerprint is %1.</source>
        <translation>証明書の SHA-256 フィンガープリントは %1 です。</translation>
    </message>
    <message>
        <source>Trust this certificate</source>
        <translation>この証明書を信頼する</translation>
    </message>
    <message>
        <source>Name the account.</source>
        <translation>アカウント名を入力してください。</translation>
    </message>
    <message>
        <source>Checking the login and saving…</source>
        <translation>ログインを確認して保存しています…</translation>
    </message>
    <message>
        <source>No settings were published for this address. Enter the server below.</source>
        <translation>このアドレスの設定は公開されていませんでした。下にサーバーを入力してください。</translation>
    </message>
    <message>
        <source>%1 hosts this mailbox. Sign in to add it.</source>
        <translation>このメールボックスは %1 にあります。サインインして追加してください。</translation>
    </message>
    <message>
        <source>Settings found (%1). Enter the password and add the mailbox.</source>
        <translation>設定が見つかりました（%1）。パスワードを入力してメールボックスを追加してください。</translation>
    </message>
    <message>
        <source>Enter a Google app password (not your Google password): 2-Step Verification on, then myaccount.google.com/apppasswords.</source>
        <translation>Google のアプリ パスワードを入力してください（Google アカウントのパスワードではありません）。2 段階認証プロセスを有効にしてから myaccount.google.com/apppasswords で作成します。</translation>
    </message>
</context>
<context>
    <name>AddressBookView</name>
    <message>
        <source>Address &amp;book…</source>
        <translation>アドレス帳(&amp;B)…</translation>
    </message>
</context>
<context>
    <name>ApprovalWords</name>
    <message>
        <source>Mail from this teammate is approved by another before it goes out.</source>
        <translation>この担当者のメールは、送信前に別のメンバーの承認が必要です。</translation>
    </message>
    <message>
        <source>First mail to %1.</source>
        <translation>%1 宛ての初めてのメールです。</translation>
    </message>
    <message>
        <source>The mail has %1 attachment(s).</source>
        <translation>添付ファイルが %1 件あります。</translation>
    </message>
    <message>
        <source>The mail mentions %1.</source>
        <translation>「%1」を含んでいます。</translation>
    </message>
    <message>
        <source>%1 external recipients (more than %2).</source>
        <translation>社外の宛先が %1 件あります(上限 %2 件)。</translation>
    </message>
</context>
<context>
    <name>ApprovalsDialog</name>
    <message>
        <source>(no subject)</source>
        <translation>(件名なし)</translation>
    </message>
    <message>
        <source>Nothing waits for your approval.</source>
        <translation>あなたの承認を待っているメールはありません。</translation>
    </message>
    <message>
        <source>Why it needs approval: %1</source>
        <translation>承認が必要な理由: %1</translation>
    </message>
    <message>
        <source>Say what to change: sending back needs a comment.</source>
        <translation>差し戻すには、直してほしい点をコメントに書いてください。</translation>
    </message>
    <message>
        <source>Approved: the sender&apos;s outbox sends it now.</source>
        <translation>承認しました。送信者の送信トレイから送信されます。</translation>
    </message>
    <message>
        <source>Sent back with your comment.</source>
        <translation>コメントを付けて差し戻しました。</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>承認待ち</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>依頼者</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>件名</translation>
    </message>
    <message>
        <source>To</source>
        <translation>宛先</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>依頼日時</translation>
    </message>
    <message>
        <source>Comment (needed to send back)</source>
        <translation>コメント(差し戻すときは必須)</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>承認</translation>
    </message>
    <message>
        <source>Send back</source>
        <translation>差し戻し</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>更新</translation>
    </message>
</context>
<context>
    <name>ApprovalsMenu</name>
    <message>
        <source>&amp;Approvals…</source>
        <translation>承認待ち(&amp;A)…</translation>
    </message>
</context>
<context>
    <name>ComposeWindow</name>
    <message>
        <source>The draft could not be saved: the disk is full or cannot be written. Your text stays in this window, and Mailwise saves it as soon as it can.</source>
        <extracomment>What runs in the background now (&quot;checking&quot;, &quot;queuing&quot;, &quot;taking_over&quot;) or None.</extracomment>
        <translation>下書きを保存できませんでした。ディスクがいっぱいか、書き込みできません。入力した文章はこのウィンドウに残っており、保存できるようになりしだい Mailwise が保存します。</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>ファイルを添付</translation>
    </message>
    <message>
        <source>New mail</source>
        <translation>新規メール</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>差出人：</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>宛先：</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Cc：</translation>
    </message>
    <message>
        <source>Bcc:</source>
        <translation>Bcc：</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>件名：</translation>
    </message>
    <message>
        <source>%1 is handling this message. Take it over to send your reply.</source>
        <translation>%1 さんがこのメールを担当しています。返信を送るには引き継いでください。</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>引き継ぐ</translation>
    </message>
    <message>
        <source>Attach…</source>
        <translation>添付…</translation>
    </message>
    <message>
        <source>Insert template…</source>
        <translation>テンプレートを挿入…</translation>
    </message>
    <message>
        <source>Send…</source>
        <translation>送信…</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>取り消す</translation>
    </message>
    <message>
        <source>Draft not saved</source>
        <translation>下書きは保存されていません</translation>
    </message>
    <message>
        <source>The draft could not be saved (the disk is full or cannot be written). Close anyway and lose the changes since the last save?</source>
        <translation>下書きを保存できませんでした（ディスクがいっぱいか、書き込みできません）。前回の保存以降の変更を破棄して閉じますか？</translation>
    </message>
    <message>
        <source>Checking the recipients and the server…</source>
        <translation>宛先とサーバーを確認しています…</translation>
    </message>
    <message>
        <source>Putting the mail in the outbox…</source>
        <translation>送信トレイに入れています…</translation>
    </message>
    <message>
        <source>Filling in the template…</source>
        <translation>テンプレートを差し込んでいます…</translation>
    </message>
    <message>
        <source>Taking the message over…</source>
        <translation>引き継いでいます…</translation>
    </message>
    <message>
        <source>Waiting for a teammate&apos;s approval; it is sent once approved. Undo brings it back here.</source>
        <translation>確認者の承認待ちです。承認されると送信されます。「取り消し」でここに戻せます。</translation>
    </message>
    <message>
        <source>Queued: sending shortly. Undo brings it back here.</source>
        <translation>送信待ち：まもなく送信します。「取り消す」でここに戻せます。</translation>
    </message>
    <message>
        <source>Waiting to send: %1</source>
        <translation>送信待ち：%1</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>送信中…</translation>
    </message>
    <message>
        <source>Sent.</source>
        <translation>送信しました。</translation>
    </message>
    <message>
        <source>Held, not sent: %1</source>
        <translation>保留（未送信）：%1</translation>
    </message>
    <message>
        <source>Not sent: %1 It stays in the outbox; Retry is in Outbox.</source>
        <translation>未送信：%1 メールは送信トレイに残っています。送信トレイから再試行できます。</translation>
    </message>
    <message>
        <source>The connection dropped while sending; see the outbox: %1</source>
        <translation>送信中に接続が切れました。送信トレイで確認してください：%1</translation>
    </message>
    <message>
        <source>The message was not taken over.</source>
        <translation>引き継げませんでした。</translation>
    </message>
    <message>
        <source>The mail was not sent.</source>
        <translation>メールは送信されていません。</translation>
    </message>
    <message>
        <source>The mail was not queued.</source>
        <translation>メールは送信トレイに入っていません。</translation>
    </message>
</context>
<context>
    <name>ConfirmSendDialog</name>
    <message>
        <source>Confirm before sending</source>
        <translation>送信前の確認</translation>
    </message>
    <message>
        <source>From: %1</source>
        <translation>差出人：%1</translation>
    </message>
    <message>
        <source>Subject: %1</source>
        <translation>件名：%1</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>（件名なし）</translation>
    </message>
    <message>
        <source>Tick every recipient. Internal domains can be ticked at once; external ones one by one.</source>
        <translation>すべての宛先にチェックを入れてください。社内ドメインはまとめて、社外の宛先は 1 件ずつ確認します。</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>宛先</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>種別</translation>
    </message>
    <message>
        <source>External: %1</source>
        <translation>社外: %1</translation>
    </message>
    <message>
        <source>Internal: %1</source>
        <translation>社内: %1</translation>
    </message>
    <message>
        <source>(no domain)</source>
        <translation>（ドメインなし）</translation>
    </message>
    <message>
        <source>To</source>
        <translation>宛先</translation>
    </message>
    <message>
        <source>Cc</source>
        <translation>Cc</translation>
    </message>
    <message>
        <source>Bcc</source>
        <translation>Bcc</translation>
    </message>
    <message>
        <source>Tick every attachment:</source>
        <translation>すべての添付ファイルにチェックを入れてください：</translation>
    </message>
    <message>
        <source>Checks (%1 once encoded):</source>
        <translation>確認事項（送信サイズ %1）：</translation>
    </message>
    <message>
        <source>Nothing to report.</source>
        <translation>問題は見つかりませんでした。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Needs approval by %1 before it goes out: %2</source>
        <translation>送信前に %1 さんの承認が必要です: %2</translation>
    </message>
    <message>
        <source>Ask for approval</source>
        <translation>承認を依頼</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>送信</translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <source>Show details</source>
        <translation>詳細を表示</translation>
    </message>
    <message>
        <source>%1 of %2 messages</source>
        <translation>%1 / %2 件</translation>
    </message>
    <message>
        <source>less than a minute left</source>
        <translation>残り1分未満</translation>
    </message>
    <message>
        <source>about %1 min left</source>
        <translation>残り約 %1 分</translation>
    </message>
    <message>
        <source>Mailwise hit an unexpected problem and restarts the connection in %1 s.</source>
        <translation>予期しない問題が起きたため、%1 秒後に接続をやり直します。</translation>
    </message>
    <message>
        <source>last sync %1</source>
        <translation>最終同期 %1</translation>
    </message>
    <message>
        <source>not synced yet</source>
        <translation>未同期</translation>
    </message>
    <message>
        <source>Offline — showing saved mail · %1</source>
        <translation>オフライン — 保存済みのメールを表示中 · %1</translation>
    </message>
    <message>
        <source>Online · %1</source>
        <translation>オンライン · %1</translation>
    </message>
    <message>
        <source>%1: who handles what is kept in the team log</source>
        <translation>%1: 担当はチームログで管理</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>接続中…</translation>
    </message>
    <message>
        <source>Reconnecting… (%1) · %2</source>
        <translation>再接続中…（%1） · %2</translation>
    </message>
    <message>
        <source>Not connected: the sign-in expired. Sign in again · %1</source>
        <translation>未接続: サインインの有効期限が切れました。もう一度サインインしてください · %1</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>未接続: %1</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>オフライン</translation>
    </message>
    <message>
        <source>This server does not keep labels on messages that every teammate can rely on, so Mailwise keeps who handles what as small records in the team mailbox (the team log). Claims still go to exactly one person; other mail apps do not show them.</source>
        <translation>このサーバーはメッセージのラベルをチーム全員が頼れる形で保存しないため、Mailwise は担当をチームメールボックスの小さな記録 (チームログ) で管理します。担当の取得は今までどおり必ず一人だけに決まります。ほかのメールソフトには表示されません。</translation>
    </message>
    <message>
        <source>Connection details</source>
        <translation>接続の詳細</translation>
    </message>
    <message>
        <source>What the mail server said:</source>
        <translation>メールサーバーの応答:</translation>
    </message>
</context>
<context>
    <name>ContactImportDialog</name>
    <message>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>Import contacts</source>
        <translation>連絡先のインポート</translation>
    </message>
    <message>
        <source>CSV, UTF-8 with BOM</source>
        <translation>CSV（UTF-8、BOM 付き）</translation>
    </message>
    <message>
        <source>vCard</source>
        <translation>vCard</translation>
    </message>
    <message>
        <source>CSV, UTF-8</source>
        <translation>CSV（UTF-8）</translation>
    </message>
    <message>
        <source>CSV, Shift_JIS</source>
        <translation>CSV（Shift_JIS）</translation>
    </message>
    <message>
        <source>%1 (%2): %3 contacts to import. A filled-in field replaces the team&apos;s; tags are added.</source>
        <translation>%1（%2）：%3 件の連絡先を取り込みます。入力のある項目はチームの連絡先を上書きし、タグは追加されます。</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>アドレス</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>会社</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>Do not contact</source>
        <translation>連絡不可</translation>
    </message>
    <message>
        <source>Lines not imported: %1</source>
        <translation>取り込まなかった行：%1</translation>
    </message>
    <message>
        <source>“%1” is not an email address</source>
        <translation>「%1」はメールアドレスではありません</translation>
    </message>
    <message>
        <source>no column named email (or メールアドレス)</source>
        <translation>email（またはメールアドレス）の列がありません</translation>
    </message>
    <message>
        <source>a card without an email address</source>
        <translation>メールアドレスのない連絡先</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>%1 行目：%2</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>取り込む(&amp;I)</translation>
    </message>
</context>
<context>
    <name>ContactWindow</name>
    <message>
        <source>The contacts could not be read: %1</source>
        <extracomment>Runs an engine job (the window: an EngineOp); success or failure follows on the UI thread.</extracomment>
        <translation>連絡先を読み込めませんでした：%1</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>保存中…</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>保存できませんでした：%1</translation>
    </message>
    <message>
        <source>Saved for the whole team.</source>
        <translation>チーム全員に保存しました。</translation>
    </message>
    <message>
        <source>Bulk edit</source>
        <translation>一括編集</translation>
    </message>
    <message>
        <source>Tag to add to %1 contacts (leave empty for none):</source>
        <translation>%1 件の連絡先に追加するタグ（空欄なら追加しない）：</translation>
    </message>
    <message>
        <source>Company for all of them (leave empty to keep):</source>
        <translation>全員の会社名（空欄なら変更しない）：</translation>
    </message>
    <message>
        <source>Import contacts</source>
        <translation>連絡先のインポート</translation>
    </message>
    <message>
        <source>Contacts (*.csv *.vcf)</source>
        <translation>連絡先 (*.csv *.vcf)</translation>
    </message>
    <message>
        <source>Export contacts</source>
        <translation>連絡先のエクスポート</translation>
    </message>
    <message>
        <source>CSV, UTF-8 (*.csv)</source>
        <translation>CSV、UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>CSV for Excel, Shift_JIS (*.csv)</source>
        <translation>Excel 用 CSV、Shift_JIS (*.csv)</translation>
    </message>
    <message>
        <source>vCard 4 (*.vcf)</source>
        <translation>vCard 4 (*.vcf)</translation>
    </message>
    <message>
        <source>These characters are not in Shift_JIS and were written as “?”: %1
Export as UTF-8 to keep them.</source>
        <translation>次の文字は Shift_JIS にないため「?」で書き出しました：%1
残すには UTF-8 でエクスポートしてください。</translation>
    </message>
    <message>
        <source>Address book</source>
        <translation>アドレス帳</translation>
    </message>
    <message>
        <source>Search name, address or company</source>
        <translation>名前・アドレス・会社で検索</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>アドレス</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>会社</translation>
    </message>
    <message>
        <source>Mails</source>
        <translation>メール</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未完了</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>インポート(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>エクスポート(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Bulk edit…</source>
        <translation>一括編集(&amp;B)…</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部署</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>電話</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>Memo</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>separated by ;</source>
        <translation>; で区切る</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>Do not contact</source>
        <translation>連絡不可</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Handling history</source>
        <translation>対応履歴</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>会話</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>担当</translation>
    </message>
    <message>
        <source>Last</source>
        <translation>最終</translation>
    </message>
    <message>
        <source>First reply</source>
        <translation>初回返信まで</translation>
    </message>
    <message>
        <source>Resolved in</source>
        <translation>解決まで</translation>
    </message>
</context>
<context>
    <name>ConversationPane</name>
    <message>
        <source>Select a message to see its conversation.</source>
        <translation>メールを選ぶと、その会話の流れを表示します。</translation>
    </message>
    <message>
        <source>Messages: %1</source>
        <translation>メール %1 通</translation>
    </message>
    <message>
        <source>Notes: %1</source>
        <translation>メモ %1 件</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <source>Message</source>
        <translation>メール</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>会話</translation>
    </message>
    <message>
        <source>Show &amp;conversations</source>
        <translation>会話ごとに表示(&amp;C)</translation>
    </message>
    <message>
        <source>List one row per conversation instead of every message</source>
        <translation>メール1通ごとではなく、会話ごとに1行で一覧します</translation>
    </message>
</context>
<context>
    <name>DraftsDialog</name>
    <message>
        <source>Drafts</source>
        <translation>下書き</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>件名</translation>
    </message>
    <message>
        <source>To</source>
        <translation>宛先</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>保存日時</translation>
    </message>
    <message>
        <source>No drafts: every mail you started has been sent or discarded.</source>
        <translation>下書きはありません。書きかけのメールはすべて送信済みか破棄済みです。</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開く</translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>破棄…</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>（件名なし）</translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation>下書きの破棄</translation>
    </message>
    <message>
        <source>Discard this draft for good? It has not been sent.</source>
        <translation>この下書きを完全に破棄しますか？まだ送信されていません。</translation>
    </message>
</context>
<context>
    <name>DraftsMenu</name>
    <message>
        <source>Mailwise stopped while a draft was open. It was saved.</source>
        <translation>下書きを 1 件開いたまま Mailwise が終了しました。下書きは保存されています。</translation>
    </message>
    <message>
        <source>Mailwise stopped while %1 drafts were open. They were saved.</source>
        <translation>下書きを %1 件開いたまま Mailwise が終了しました。下書きは保存されています。</translation>
    </message>
    <message>
        <source>Open them</source>
        <translation>開く</translation>
    </message>
    <message>
        <source>&amp;Drafts…</source>
        <translation>下書き(&amp;D)…</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Add your shared mailbox</source>
        <translation>共有メールボックスを追加してください</translation>
    </message>
    <message>
        <source>Mailwise connects to the mailbox your team answers (support@, sales@ …), downloads its messages and shows who is handling each one.</source>
        <translation>チームで対応しているメールボックス（support@、sales@ など）に接続してメールを取り込み、各メールを誰が対応しているかを表示します。</translation>
    </message>
    <message>
        <source>Add shared mailbox…</source>
        <translation>共有メールボックスを追加…</translation>
    </message>
    <message>
        <source>I have an invitation from my team…</source>
        <translation>チームからの招待を受け取った方はこちら…</translation>
    </message>
</context>
<context>
    <name>EntryCard</name>
    <message>
        <source>Our reply</source>
        <translation>当方の返信</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>お客様</translation>
    </message>
    <message>
        <source>(The text is not downloaded yet: open the message to fetch it.)</source>
        <translation>（本文はまだ取得していません。メールを開くと取得します。）</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>This computer has no usable system keychain, so Mailwise cannot keep your password. Mailwise never stores a password anywhere else. Set up the keychain (on Linux a Secret Service such as GNOME Keyring or KWallet, unlocked when you log in), then try again.</source>
        <translation>このコンピューターには使えるシステムのキーチェーンがないため、Mailwise はパスワードを保管できません。Mailwise がパスワードをほかの場所に保存することはありません。キーチェーンを用意してから（Linux では GNOME Keyring や KWallet などの Secret Service を、ログイン時にロックが解除されるように）、もう一度お試しください。</translation>
    </message>
    <message>
        <source>Google does not take your account password here. Sign in with Google, or use an app password (2-Step Verification on, then myaccount.google.com/apppasswords).</source>
        <translation>Google はここでアカウントのパスワードを受け付けません。Google でサインインするか、アプリ パスワードを使ってください（2 段階認証プロセスを有効にしてから myaccount.google.com/apppasswords で作成）。</translation>
    </message>
    <message>
        <source>Google wants this sign-in confirmed in a browser. Sign in with Google instead.</source>
        <translation>Google がこのサインインをブラウザーで確認するよう求めています。Google でサインインしてください。</translation>
    </message>
    <message>
        <source>SMTP sign-in is switched off for your organisation, so mail cannot be sent. Your administrator must turn on Authenticated SMTP for this mailbox.</source>
        <translation>組織で SMTP のサインインが無効になっているため、メールを送信できません。管理者がこのメールボックスの「SMTP 認証」を有効にする必要があります。</translation>
    </message>
    <message>
        <source>Microsoft no longer accepts a password here. Add the mailbox with Sign in with Microsoft.</source>
        <translation>Microsoft はここでパスワードを受け付けなくなりました。「Microsoft でサインイン」でメールボックスを追加してください。</translation>
    </message>
    <message>
        <source>the server does not let apps keep their own labels on messages, so handling state and owner cannot be shared</source>
        <translation>サーバーがメールにアプリ独自のラベルを付けることを許していないため、対応状況と担当者を共有できません</translation>
    </message>
    <message>
        <source>the server cannot change a message only if nobody changed it first, so two teammates could both take the same message</source>
        <translation>サーバーが「ほかの人が先に変更していない場合だけ変更する」ことができないため、二人のメンバーが同じメールを担当してしまうおそれがあります</translation>
    </message>
    <message>
        <source>this login may read the folder but not change its flags, so it cannot take or hand over messages</source>
        <translation>このログインではフォルダーを読めてもフラグを変更できないため、メールの担当や引き継ぎができません</translation>
    </message>
    <message>
        <source>; </source>
        <translation>。</translation>
    </message>
    <message>
        <source>Team handling is off for %1: %2.</source>
        <translation>フォルダー「%1」ではチームでの対応管理が使えません。%2。</translation>
    </message>
    <message>
        <source>The folder {folder} is not on the server any more (deleted or renamed elsewhere).</source>
        <translation>フォルダー「{folder}」はサーバーにもうありません（別の場所で削除または名前変更されました）。</translation>
    </message>
    <message>
        <source>This mail server cannot change a message only if nobody changed it first (no CONDSTORE), so Mailwise cannot share who handles what on it.</source>
        <translation>このメールサーバーは「ほかの人が先に変更していない場合だけ変更する」ことができない（CONDSTORE がない）ため、誰が対応しているかを共有できません。</translation>
    </message>
    <message>
        <source>The mail server did not say which version of the message it has (CONDSTORE off?), so the change was not made.</source>
        <translation>メールサーバーがメールの変更番号を返さなかった（CONDSTORE がオフ？）ため、変更は行われませんでした。</translation>
    </message>
    <message>
        <source>The server {host} does not offer STARTTLS on port {port}, so Mailwise did not connect. Choose TLS (port {tls_port}) in the account settings, or ask the server&apos;s administrator.</source>
        <translation>サーバー {host} はポート {port} で STARTTLS に対応していないため、接続しませんでした。アカウント設定で TLS（ポート {tls_port}）を選ぶか、サーバーの管理者に問い合わせてください。</translation>
    </message>
    <message>
        <source>The server {host} does not offer login (SMTP AUTH) on port {port}, so mail cannot be sent. Check the sending port in the account settings.</source>
        <translation>サーバー {host} はポート {port} でログイン（SMTP AUTH）に対応していないため、メールを送信できません。アカウント設定で送信ポートを確認してください。</translation>
    </message>
    <message>
        <source>Your sign-in has expired or was withdrawn (long unused, a password change, or by your administrator). Sign in again.</source>
        <translation>サインインの有効期限が切れたか、取り消されました（長期間の未使用、パスワードの変更、または管理者による取り消し）。もう一度サインインしてください。</translation>
    </message>
    <message>
        <source>Your administrator must approve Mailwise for your organisation before you can sign in (docs/PROVIDERS.md, Approve the app).</source>
        <translation>サインインする前に、管理者が組織で Mailwise を承認する必要があります（docs/PROVIDERS.md の「アプリの承認」）。</translation>
    </message>
    <message>
        <source>The server refused the user name or password. Check both and try again.</source>
        <translation>サーバーがユーザー名またはパスワードを受け付けませんでした。両方を確認して、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The server could not be reached. Check the server name, the port and the network.</source>
        <translation>サーバーに接続できませんでした。サーバー名、ポート、ネットワークを確認してください。</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted, so Mailwise did not send your password.</source>
        <translation>サーバーの証明書が信頼できないため、パスワードは送信していません。</translation>
    </message>
    <message>
        <source>The connection to the server was lost. Mailwise will try again.</source>
        <translation>サーバーとの接続が切れました。自動的に再接続します。</translation>
    </message>
    <message>
        <source>This server lacks something Mailwise needs for shared handling.</source>
        <translation>このサーバーには、対応状況の共有に必要な機能がありません。</translation>
    </message>
    <message>
        <source>The password could not be kept in the system keychain.</source>
        <translation>パスワードをシステムのキーチェーンに保存できませんでした。</translation>
    </message>
    <message>
        <source>The local data could not be written (disk full or no permission?).</source>
        <translation>ローカルのデータを書き込めませんでした（ディスクの空き容量や権限を確認してください）。</translation>
    </message>
    <message>
        <source>Something has to be set up first.</source>
        <translation>先に設定が必要です。</translation>
    </message>
    <message>
        <source>Please check what you entered.</source>
        <translation>入力内容を確認してください。</translation>
    </message>
    <message>
        <source>Something unexpected went wrong.</source>
        <translation>予期しない問題が発生しました。</translation>
    </message>
    <message>
        <source>Say who you are first (Actions ▸ Who am I…), then try again.</source>
        <translation>先にご自分の名前を設定してから（操作 ▸ 自分の名前を設定…）、もう一度お試しください。</translation>
    </message>
    <message>
        <source>{id} is not on the team roster. Add them in the team panel, or choose another name (Actions ▸ Who am I…).</source>
        <translation>{id} はチーム名簿にいません。チームパネルで追加するか、別の名前を選んでください（操作 ▸ 自分の名前を設定…）。</translation>
    </message>
    <message>
        <source>{id} was removed from the team roster. Choose who you are again.</source>
        <translation>{id} はチーム名簿から外されています。自分の名前を設定し直してください。</translation>
    </message>
    <message>
        <source>Choose the teammate to hand it to.</source>
        <translation>引き継ぐ相手のメンバーを選んでください。</translation>
    </message>
    <message>
        <source>Only a handover goes to a teammate.</source>
        <translation>メンバーを指定できるのは引き継ぎだけです。</translation>
    </message>
    <message>
        <source>{id} is not an active teammate.</source>
        <translation>{id} は現在のチームメンバーではありません。</translation>
    </message>
    <message>
        <source>This message is not in the list any more (moved or deleted); the list is brought up to date.</source>
        <translation>このメールは一覧にもうありません（移動または削除されました）。一覧を最新にします。</translation>
    </message>
    <message>
        <source>There is no template named {name}.</source>
        <translation>{name} という名前のテンプレートはありません。</translation>
    </message>
    <message>
        <source>The account {account} has no sending address. Add it in the account settings.</source>
        <translation>アカウント {account} に送信元アドレスがありません。アカウント設定で追加してください。</translation>
    </message>
    <message>
        <source>There is no teammate {id} on the roster.</source>
        <translation>名簿に {id} というメンバーはいません。</translation>
    </message>
    <message>
        <source>Not on the team roster: {ids}.</source>
        <translation>チーム名簿にいません: {ids}。</translation>
    </message>
    <message>
        <source>This mail needs approval, but nobody else on the team may approve it. Ask an administrator to name approvers (View ▸ Approvals…).</source>
        <translation>このメールには承認が必要ですが、承認できるメンバーがほかにいません。管理者に承認者を決めてもらってください（表示 ▸ 承認待ち…）。</translation>
    </message>
    <message>
        <source>This approval request is not there any more.</source>
        <translation>この承認依頼はもうありません。</translation>
    </message>
    <message>
        <source>No shared mailbox is set up yet. Add one with File ▸ Add shared mailbox…</source>
        <translation>共有メールボックスがまだ設定されていません。ファイル ▸ 共有メールボックスを追加… で追加してください。</translation>
    </message>
    <message>
        <source>Several shared mailboxes are set up ({names}); choose one in the folder list.</source>
        <translation>複数の共有メールボックスが設定されています（{names}）。フォルダー一覧で一つを選んでください。</translation>
    </message>
    <message>
        <source>A shared mailbox named {id} is set up already. Join under another name.</source>
        <translation>{id} という名前の共有メールボックスがすでに設定されています。別の名前で参加してください。</translation>
    </message>
    <message>
        <source>The message is not in {folder} any more.</source>
        <translation>そのメールはもう {folder} にありません。</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Unhandled</source>
        <translation>未処理</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>自分の担当</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>処理中</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>All</source>
        <translation>すべて</translation>
    </message>
    <message>
        <source>Search subject, sender, text…</source>
        <translation>件名・差出人・本文を検索…</translation>
    </message>
</context>
<context>
    <name>FolderTree</name>
    <message>
        <source>Inbox</source>
        <extracomment>States listed under a folder, with the tab each one opens.</extracomment>
        <translation>受信箱</translation>
    </message>
    <message>
        <source>%1 unhandled</source>
        <translation>未処理 %1 件</translation>
    </message>
</context>
<context>
    <name>IdentityDialog</name>
    <message>
        <source>Who are you?</source>
        <translation>あなたは誰ですか？</translation>
    </message>
    <message>
        <source>Your teammates see your name on the messages you handle. Pick yourself:</source>
        <translation>担当したメッセージにはあなたの名前が表示されます。一覧からご自分を選んでください:</translation>
    </message>
    <message>
        <source>Not on the list? Add yourself</source>
        <translation>一覧にない場合は追加してください</translation>
    </message>
    <message>
        <source>Short id:</source>
        <translation>ID（英数字）:</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>表示名:</translation>
    </message>
    <message>
        <source>E-mail:</source>
        <translation>メールアドレス:</translation>
    </message>
    <message>
        <source>Reading the team roster…</source>
        <translation>チームのメンバー一覧を読み込んでいます…</translation>
    </message>
    <message>
        <source>Adding you to the team roster…</source>
        <translation>メンバー一覧に追加しています…</translation>
    </message>
    <message>
        <source>Pick your name, or add yourself.</source>
        <translation>ご自分の名前を選ぶか、追加してください。</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <source>Join a team</source>
        <extracomment>opens the sign-in page of an OAuth2 invitation (tests: an HTTP client)</extracomment>
        <translation>チームに参加</translation>
    </message>
    <message>
        <source>Paste the invitation code you were sent, or open the invitation file. It holds the server settings, never the password.</source>
        <translation>受け取った招待コードを貼り付けるか、招待ファイルを開いてください。招待にはサーバーの設定が入っています。パスワードは入っていません。</translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation>ファイルを開く…</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>パスワード:</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>参加</translation>
    </message>
    <message>
        <source>Invitation file</source>
        <translation>招待ファイル</translation>
    </message>
    <message>
        <source>Invitations (*%1)</source>
        <translation>招待ファイル (*%1)</translation>
    </message>
    <message>
        <source>Team mailbox %1 on %2, signing in as %3.</source>
        <translation>共有メールボックス %1（サーバー %2、ログイン名 %3）。</translation>
    </message>
    <message>
        <source>For: %1.</source>
        <translation>招待されている人: %1。</translation>
    </message>
    <message>
        <source>From: %1.</source>
        <translation>招待した人: %1。</translation>
    </message>
    <message>
        <source>Finish signing in in your browser…</source>
        <translation>ブラウザーでサインインを完了してください…</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>%1 に接続しています…</translation>
    </message>
</context>
<context>
    <name>KeyboardTriage</name>
    <message>
        <source>Next message</source>
        <translation>次のメッセージ</translation>
    </message>
    <message>
        <source>Previous message</source>
        <translation>前のメッセージ</translation>
    </message>
    <message>
        <source>Next unhandled message</source>
        <translation>次の未処理メッセージ</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>キーボードショートカット</translation>
    </message>
</context>
<context>
    <name>LinkWarning</name>
    <message>
        <source>The link text shows a different address than the link opens.</source>
        <translation>リンクの表示と実際の行き先のアドレスが異なります。</translation>
    </message>
    <message>
        <source>The link goes to a numeric IP address instead of a named site.</source>
        <translation>リンク先がサイト名ではなく数字の IP アドレスです。</translation>
    </message>
    <message>
        <source>The link hides its real destination behind a user name (an &apos;@&apos;).</source>
        <translation>リンクの本当の行き先がユーザー名（「@」）の後ろに隠されています。</translation>
    </message>
    <message>
        <source>The site name uses encoded international characters (xn--).</source>
        <translation>サイト名に符号化された国際文字（xn--）が使われています。</translation>
    </message>
    <message>
        <source>The site name mixes alphabets, a common look-alike trick.</source>
        <translation>サイト名に複数の種類の文字が混在しています。よく似たサイトに見せかける手口です。</translation>
    </message>
    <message>
        <source>The link is not a web or e-mail address.</source>
        <translation>このリンクは Web やメールのアドレスではありません。</translation>
    </message>
    <message>
        <source>The link address is malformed.</source>
        <translation>リンクのアドレスが正しくありません。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <extracomment>Set by the app: switches the UI language at run time. The one road of every change to the views (engine finds, operation results).</extracomment>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Actions</source>
        <translation>操作(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>&amp;Add shared mailbox…</source>
        <translation>共有メールボックスを追加(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Join a team with an invitation…</source>
        <translation>招待でチームに参加(&amp;J)…</translation>
    </message>
    <message>
        <source>&amp;Who am I…</source>
        <translation>自分の名前を設定(&amp;W)…</translation>
    </message>
    <message>
        <source>Team mailbox &amp;problems…</source>
        <translation>チームメールボックスの問題(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>設定(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Full Screen</source>
        <translation>全画面表示(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;About Mailwise</source>
        <translation>Mailwise について(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Qt について(&amp;Q)</translation>
    </message>
</context>
<context>
    <name>MessageBrowser</name>
    <message>
        <source>Link not opened</source>
        <extracomment>Every resource the document asked for (tests check none was remote). Replaced in tests: how an approved link leaves the app.</extracomment>
        <translation>リンクを開きませんでした</translation>
    </message>
    <message>
        <source>Mailwise does not open this kind of link.</source>
        <translation>この種類のリンクは開きません。</translation>
    </message>
    <message>
        <source>Open this link?</source>
        <translation>このリンクを開きますか？</translation>
    </message>
    <message>
        <source>It really opens:
%1</source>
        <translation>実際の行き先:
%1</translation>
    </message>
</context>
<context>
    <name>MessageListModel</name>
    <message>
        <source>State</source>
        <extracomment>Ids read before the first paint (a screen, with room to scroll a little). Role carrying the row&apos;s cache id; and the whole summary. Sort key per column (None: the column cannot be sorted). Conversation mode: row id -&gt; messages in its conversation (shown after the subject).</extracomment>
        <translation>状態</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>担当者</translation>
    </message>
    <message>
        <source>From</source>
        <translation>差出人</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>件名</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日時</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <source>Att.</source>
        <translation>添付</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>（件名なし）</translation>
    </message>
    <message>
        <source>Has attachments</source>
        <translation>添付ファイルあり</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Show details</source>
        <translation>詳細を表示</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>詳細を隠す</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>%1 new messages</source>
        <translation>新着メッセージ %1 件</translation>
    </message>
    <message>
        <source>New mail</source>
        <translation>新着メール</translation>
    </message>
    <message>
        <source>Given to you</source>
        <translation>あなたに割り当てられました</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <extracomment>Seconds between two looks at approvals (cache and outbox: local reads).</extracomment>
        <translation>(件名なし)</translation>
    </message>
    <message>
        <source>A customer&apos;s follow-up was given to you: %1</source>
        <translation>お客様からの続きのメールがあなたに割り当てられました：%1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開く</translation>
    </message>
    <message>
        <source>Follow-up for you</source>
        <translation>あなた宛ての続きのメール</translation>
    </message>
    <message>
        <source>Approval requested by %1</source>
        <translation>%1 さんから承認の依頼</translation>
    </message>
    <message>
        <source>Your mail was sent back</source>
        <translation>あなたのメールが差し戻されました</translation>
    </message>
    <message>
        <source>Your mail was approved</source>
        <translation>あなたのメールが承認されました</translation>
    </message>
</context>
<context>
    <name>OperationRunner</name>
    <message>
        <source>Say who you are first (Actions ▸ Who am I…), then try again.</source>
        <translation>先にご自分の名前を設定してから（操作 ▸ 自分の名前を設定…）、もう一度お試しください。</translation>
    </message>
    <message>
        <source>You are offline. Changing a message&apos;s state needs the mail server; try again when the status bar says online.</source>
        <translation>オフラインです。状態の変更にはメールサーバーが必要です。ステータスバーが「オンライン」になってから、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The change was not made.</source>
        <translation>変更されませんでした。</translation>
    </message>
    <message>
        <source>A teammate</source>
        <translation>チームのメンバー</translation>
    </message>
    <message>
        <source>%1 has been handling this since %2.</source>
        <translation>%1さんが %2 から担当しています。</translation>
    </message>
    <message>
        <source>%1 is handling this.</source>
        <translation>%1さんが担当しています。</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>引き継ぐ</translation>
    </message>
    <message>
        <source>The connection dropped before the change reached the server, so it was not made. Try again.</source>
        <translation>変更がサーバーに届く前に接続が切れたため、変更されていません。もう一度お試しください。</translation>
    </message>
    <message>
        <source>A teammate changed this message while the connection was down, so yours was not made.</source>
        <translation>接続が切れている間にチームメンバーがこのメールを変更したため、あなたの変更は行われませんでした。</translation>
    </message>
    <message>
        <source>Teammates changed this message at the same moment; try again.</source>
        <translation>他のメンバーが同時にこのメッセージを変更しました。もう一度お試しください。</translation>
    </message>
    <message>
        <source>Not possible now: the message is %1 (%2).</source>
        <translation>現在は実行できません: このメッセージは「%1」です（%2）。</translation>
    </message>
    <message>
        <source>Not possible now: the message is %1.</source>
        <translation>現在は実行できません: このメッセージは「%1」です。</translation>
    </message>
    <message>
        <source>a teammate</source>
        <translation>他のメンバー</translation>
    </message>
    <message>
        <source>Take over?</source>
        <translation>引き継ぎますか？</translation>
    </message>
    <message>
        <source>%1 is handling this message. Take it over? They will see that you did.</source>
        <translation>%1さんがこのメッセージを担当しています。引き継ぎますか？引き継いだことは相手にも表示されます。</translation>
    </message>
    <message>
        <source>%1 (me)</source>
        <translation>%1（自分）</translation>
    </message>
    <message>
        <source>Transfer to…</source>
        <translation>担当を変更…</translation>
    </message>
    <message>
        <source>Hand the message over to:</source>
        <translation>新しい担当者:</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <source>Claiming…</source>
        <translation>担当処理中…</translation>
    </message>
    <message>
        <source>Releasing…</source>
        <translation>解除中…</translation>
    </message>
    <message>
        <source>Handing over…</source>
        <translation>引き渡し中…</translation>
    </message>
    <message>
        <source>Holding…</source>
        <translation>保留にしています…</translation>
    </message>
    <message>
        <source>Resuming…</source>
        <translation>再開しています…</translation>
    </message>
    <message>
        <source>Closing…</source>
        <translation>完了にしています…</translation>
    </message>
    <message>
        <source>Reopening…</source>
        <translation>再開しています…</translation>
    </message>
</context>
<context>
    <name>OutboxController</name>
    <message>
        <source>The outbox could not be sent. %1</source>
        <extracomment>How often the outbox is looked at while the window is open.</extracomment>
        <translation>送信トレイのメールを送信できませんでした。%1</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>（件名なし）</translation>
    </message>
    <message>
        <source>Open outbox</source>
        <translation>送信トレイを開く</translation>
    </message>
    <message>
        <source>“%1” was not sent: a teammate replied or took over meanwhile. Send it anyway, edit it, or discard it?</source>
        <translation>「%1」は送信していません：その間にチームの誰かが返信したか、引き継ぎました。このまま送信しますか、編集しますか、破棄しますか？</translation>
    </message>
    <message>
        <source>Send anyway</source>
        <translation>このまま送信</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>編集</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>破棄</translation>
    </message>
    <message>
        <source>“%1” was not sent: the server refused it. It stays in the outbox.</source>
        <translation>「%1」は送信されていません：サーバーが受け付けませんでした。メールは送信トレイに残っています。</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>再試行</translation>
    </message>
    <message>
        <source>The connection dropped while “%1” was being sent; the server may or may not have it. Decide in the outbox.</source>
        <translation>「%1」の送信中に接続が切れました。サーバーに届いたかどうかは分かりません。送信トレイで対応を選んでください。</translation>
    </message>
    <message>
        <source>There is no shared mailbox.</source>
        <translation>共有メールボックスがありません。</translation>
    </message>
    <message>
        <source>The server may already have this mail. Send it again? If the first copy did arrive, the customer gets it twice (recognisably the same mail).</source>
        <translation>このメールはすでにサーバーに届いている可能性があります。もう一度送信しますか？ 最初のメールが届いていた場合、お客様には同じメールが2通届きます（同じメールだと分かる形で）。</translation>
    </message>
    <message>
        <source>Discard this mail? It has not been sent.</source>
        <translation>このメールを破棄しますか？ まだ送信されていません。</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>送信トレイ</translation>
    </message>
</context>
<context>
    <name>OutboxDialog</name>
    <message>
        <source>Sending…</source>
        <translation>送信中…</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>送信待ち</translation>
    </message>
    <message>
        <source>Sent, filing…</source>
        <translation>送信済み・整理中…</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>送信済み</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>未送信</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation>承認待ち</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>（件名なし）</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>送信トレイ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>件名</translation>
    </message>
    <message>
        <source>To</source>
        <translation>宛先</translation>
    </message>
    <message>
        <source>The outbox is empty: every mail has been sent.</source>
        <translation>送信トレイは空です。すべてのメールが送信されました。</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>再試行</translation>
    </message>
    <message>
        <source>Send anyway</source>
        <translation>このまま送信</translation>
    </message>
    <message>
        <source>Undo and edit</source>
        <translation>取り消して編集</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>破棄</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>もう一度送信</translation>
    </message>
    <message>
        <source>Mark as sent</source>
        <translation>送信済みにする</translation>
    </message>
</context>
<context>
    <name>ProblemWords</name>
    <message>
        <source>text</source>
        <translation>文字列</translation>
    </message>
    <message>
        <source>true/false</source>
        <translation>真偽値</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>数値</translation>
    </message>
    <message>
        <source>a list</source>
        <translation>リスト</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>オブジェクト</translation>
    </message>
    <message>
        <source>null</source>
        <translation>null</translation>
    </message>
    <message>
        <source>the record is %1 bytes (at most %2)</source>
        <translation>レコードが %1 バイトあります（上限 %2）</translation>
    </message>
    <message>
        <source>the JSON nests %1 levels deep (at most %2)</source>
        <translation>JSON の入れ子が %1 段あります（上限 %2）</translation>
    </message>
    <message>
        <source>the body is not valid JSON</source>
        <translation>本文が正しい JSON ではありません</translation>
    </message>
    <message>
        <source>the body is not a JSON object</source>
        <translation>本文が JSON オブジェクトではありません</translation>
    </message>
    <message>
        <source>its body is not in a known character set</source>
        <translation>本文の文字コードが不明です</translation>
    </message>
    <message>
        <source>the message cannot be read (%1)</source>
        <translation>メッセージを読み取れません（%1）</translation>
    </message>
    <message>
        <source>its date is out of range (before 1970 or after 2100)</source>
        <translation>日付が範囲外です（1970 年より前か 2100 年より後）</translation>
    </message>
    <message>
        <source>%1 is missing</source>
        <translation>%1 がありません</translation>
    </message>
    <message>
        <source>%1 should be text, not %2</source>
        <translation>%1 は文字列のはずですが、%2 です</translation>
    </message>
    <message>
        <source>%1 is %2 characters long (at most %3)</source>
        <translation>%1 が %2 文字あります（上限 %3）</translation>
    </message>
    <message>
        <source>%1 is empty</source>
        <translation>%1 が空です</translation>
    </message>
    <message>
        <source>%1 is not in the expected form</source>
        <translation>%1 の形式が正しくありません</translation>
    </message>
    <message>
        <source>%1 should be a whole number, not %2</source>
        <translation>%1 は整数のはずですが、%2 です</translation>
    </message>
    <message>
        <source>%1 is %2 (allowed %3 to %4)</source>
        <translation>%1 が %2 です（%3～%4 の範囲のみ）</translation>
    </message>
    <message>
        <source>%1 should be true or false, not %2</source>
        <translation>%1 は真偽値のはずですが、%2 です</translation>
    </message>
    <message>
        <source>%1 should be one of %2</source>
        <translation>%1 は次のいずれかのはずです: %2</translation>
    </message>
    <message>
        <source>%1 should be a list, not %2</source>
        <translation>%1 はリストのはずですが、%2 です</translation>
    </message>
    <message>
        <source>%1 has %2 entries (at most %3)</source>
        <translation>%1 の項目が %2 個あります（上限 %3）</translation>
    </message>
    <message>
        <source>%1 should be an object, not %2</source>
        <translation>%1 はオブジェクトのはずですが、%2 です</translation>
    </message>
    <message>
        <source>%1 should be an object of names to text, not %2</source>
        <translation>%1 は名前と文字列の組のはずですが、%2 です</translation>
    </message>
    <message>
        <source>The template was stopped: it ran longer than %1 seconds.</source>
        <translation>テンプレートを停止しました: 実行が %1 秒を超えました。</translation>
    </message>
    <message>
        <source>The template was stopped: its loops ran more than %1 times.</source>
        <translation>テンプレートを停止しました: 繰り返しが %1 回を超えました。</translation>
    </message>
    <message>
        <source>The template was stopped: range() may count at most %1 numbers.</source>
        <translation>テンプレートを停止しました: range() で数えられるのは %1 個までです。</translation>
    </message>
    <message>
        <source>The template was stopped: a format width is too large.</source>
        <translation>テンプレートを停止しました: 書式の幅が大きすぎます。</translation>
    </message>
    <message>
        <source>The template was stopped: its text would be longer than %1 characters.</source>
        <translation>テンプレートを停止しました: 出力が %1 文字を超えます。</translation>
    </message>
    <message>
        <source>The template was stopped: a power (**) is too large.</source>
        <translation>テンプレートを停止しました: べき乗（**）が大きすぎます。</translation>
    </message>
    <message>
        <source>The template was stopped: a repeated text or list (*) is too long.</source>
        <translation>テンプレートを停止しました: 文字列やリストの繰り返し（*）が長すぎます。</translation>
    </message>
    <message>
        <source>The template was stopped: a product (*) is too large.</source>
        <translation>テンプレートを停止しました: 掛け算（*）の結果が大きすぎます。</translation>
    </message>
    <message>
        <source>The template was stopped: the number %1 is too large for a template.</source>
        <translation>テンプレートを停止しました: 数値 %1 はテンプレートで扱うには大きすぎます。</translation>
    </message>
    <message>
        <source>entry %1 of %2</source>
        <translation>%1 番目の項目（%2）</translation>
    </message>
</context>
<context>
    <name>ReadProblem</name>
    <message>
        <source>Could not be read fully: %1</source>
        <translation>一部を読み取れませんでした: %1</translation>
    </message>
    <message>
        <source>This message could not be read fully. Show source or Save as .eml has all of it.</source>
        <translation>このメールは一部を読み取れませんでした。全体は「ソースを表示」か「.eml として保存」で見られます。</translation>
    </message>
</context>
<context>
    <name>ReadingPane</name>
    <message>
        <source>This file is a program; opening it can run anything.</source>
        <translation>このファイルはプログラムです。開くと何でも実行される可能性があります。</translation>
    </message>
    <message>
        <source>This file is a script; opening it can run commands.</source>
        <translation>このファイルはスクリプトです。開くとコマンドが実行される可能性があります。</translation>
    </message>
    <message>
        <source>This document contains macros that can run code.</source>
        <translation>この文書にはコードを実行できるマクロが含まれています。</translation>
    </message>
    <message>
        <source>This disk image or archive can hide programs.</source>
        <translation>このディスクイメージ／アーカイブにはプログラムが隠れている可能性があります。</translation>
    </message>
    <message>
        <source>This shortcut can start a program.</source>
        <translation>このショートカットはプログラムを起動できます。</translation>
    </message>
    <message>
        <source>This file name hides a program behind a second extension.</source>
        <translation>このファイル名は二重の拡張子でプログラムであることを隠しています。</translation>
    </message>
    <message>
        <source>This archive is password-protected and was not checked.</source>
        <translation>このアーカイブはパスワード付きのため、確認できませんでした。</translation>
    </message>
    <message>
        <source>Select a message to read it.</source>
        <translation>メッセージを選ぶと、ここに表示されます。</translation>
    </message>
    <message>
        <source>More</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>Show source</source>
        <translation>ソースを表示</translation>
    </message>
    <message>
        <source>Save as .eml…</source>
        <translation>.eml として保存…</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>（件名なし）</translation>
    </message>
    <message>
        <source>From: %1</source>
        <translation>差出人: %1</translation>
    </message>
    <message>
        <source>To: %1</source>
        <translation>宛先: %1</translation>
    </message>
    <message>
        <source>Date: %1</source>
        <translation>日時: %1</translation>
    </message>
    <message>
        <source>The message body has not been downloaded yet. Downloading…</source>
        <translation>本文はまだダウンロードされていません。ダウンロードしています…</translation>
    </message>
    <message>
        <source>The message body could not be downloaded.</source>
        <translation>本文をダウンロードできませんでした。</translation>
    </message>
    <message>
        <source>[%1 more characters are not shown here. Show source or Save as .eml has the whole message.]</source>
        <translation>［残りの %1 文字はここには表示していません。「ソースを表示」か「.eml として保存」でメール全体を確認できます。］</translation>
    </message>
    <message>
        <source>This HTML message is too large to show here. Show source or Save as .eml has the whole message.</source>
        <translation>この HTML メールは大きすぎるため、ここには表示できません。「ソースを表示」か「.eml として保存」でメール全体を確認できます。</translation>
    </message>
    <message>
        <source>Remote images were blocked to protect your privacy (%1).</source>
        <translation>プライバシー保護のため、外部画像をブロックしました（%1 件）。</translation>
    </message>
    <message>
        <source>Load once</source>
        <translation>今回だけ表示</translation>
    </message>
    <message>
        <source>Always for %1</source>
        <translation>%1 からは常に表示</translation>
    </message>
    <message>
        <source>Double-click or press Enter to save this file.</source>
        <translation>ダブルクリックまたは Enter キーで保存します。</translation>
    </message>
    <message>
        <source>Save attachment</source>
        <translation>添付ファイルを保存</translation>
    </message>
    <message>
        <source>Save as .eml</source>
        <translation>.eml として保存</translation>
    </message>
    <message>
        <source>Mail messages (*.eml)</source>
        <translation>メール (*.eml)</translation>
    </message>
    <message>
        <source>Risky attachment</source>
        <translation>危険な可能性のある添付ファイル</translation>
    </message>
    <message>
        <source>Only save %1 if you expected it from this sender.</source>
        <translation>%1 は、この差出人から届く予定だった場合にのみ保存してください。</translation>
    </message>
</context>
<context>
    <name>ReplyLauncher</name>
    <message>
        <source>Reply with template:</source>
        <translation>テンプレートで返信：</translation>
    </message>
    <message>
        <source>(no templates yet)</source>
        <translation>（テンプレートはまだありません）</translation>
    </message>
    <message>
        <source>Say who you are first (Actions ▸ Who am I…), then try again.</source>
        <translation>先にご自分の名前を設定してから（操作 ▸ 自分の名前を設定…）、もう一度お試しください。</translation>
    </message>
    <message>
        <source>You are offline. Replying claims the message on the mail server; try again when the status bar says online.</source>
        <translation>オフラインです。返信するとメールサーバー上でこのメールを担当します。ステータスバーが「オンライン」になってから、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The reply was not started.</source>
        <translation>返信を開始できませんでした。</translation>
    </message>
</context>
<context>
    <name>ReportMenu</name>
    <message>
        <source>&amp;Reports…</source>
        <translation>レポート(&amp;R)…</translation>
    </message>
</context>
<context>
    <name>ReportWindow</name>
    <message>
        <source>Reports</source>
        <translation>レポート</translation>
    </message>
    <message>
        <source>Last %1 days</source>
        <translation>過去 %1 日</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV に書き出す…</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受信</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>対応済み</translation>
    </message>
    <message>
        <source>First response (median / p90)</source>
        <translation>初回応答時間（中央値 / p90）</translation>
    </message>
    <message>
        <source>Resolution (median / p90)</source>
        <translation>解決時間（中央値 / p90）</translation>
    </message>
    <message>
        <source>Replies (template / free text)</source>
        <translation>返信（テンプレート / 自由記述）</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>担当者別の対応数</translation>
    </message>
    <message>
        <source>Top customer domains</source>
        <translation>お客様ドメイン上位</translation>
    </message>
    <message>
        <source>Received and handled per day</source>
        <translation>日別の受信数と対応数</translation>
    </message>
    <message>
        <source>Open now, by age</source>
        <translation>未完了（経過日数別）</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未完了</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV に書き出す</translation>
    </message>
</context>
<context>
    <name>SendFindings</name>
    <message>
        <source>The mail has no recipient.</source>
        <translation>宛先がありません。</translation>
    </message>
    <message>
        <source>Goes outside the team to: %1</source>
        <translation>社外に送信されます：%1</translation>
    </message>
    <message>
        <source>%1 is on the team&apos;s attention list: check it twice.</source>
        <translation>%1 は要注意ドメインです。もう一度確認してください。</translation>
    </message>
    <message>
        <source>%1 cannot be mailed (blocked by the team policy).</source>
        <translation>%1 には送信できません（チームのポリシーで禁止）。</translation>
    </message>
    <message>
        <source>Never mailed from this mailbox before: %1</source>
        <translation>このメールボックスから初めて送る宛先：%1</translation>
    </message>
    <message>
        <source>%1 external domains can see each other&apos;s addresses; consider Bcc.</source>
        <translation>社外の %1 ドメインが互いのアドレスを見られます。Bcc の利用を検討してください。</translation>
    </message>
    <message>
        <source>%1 recipients (the team&apos;s limit is %2).</source>
        <translation>宛先が %1 件あります（チームの上限は %2 件）。</translation>
    </message>
    <message>
        <source>The mail mentions an attachment (%1) but nothing is attached.</source>
        <translation>本文に添付への言及（%1）がありますが、ファイルが添付されていません。</translation>
    </message>
    <message>
        <source>%1 hides a program behind a second extension.</source>
        <translation>%1 は二重拡張子でプログラムを偽装しています。</translation>
    </message>
    <message>
        <source>%1 can run code on the recipient&apos;s computer.</source>
        <translation>%1 は受信者のコンピューターでコードを実行できるファイルです。</translation>
    </message>
    <message>
        <source>The mail is %1 once encoded, over the limit of %2.</source>
        <translation>送信サイズが %1 で、上限 %2 を超えています。</translation>
    </message>
    <message>
        <source>Contains “%1” (%2).</source>
        <translation>「%1」が含まれています（%2）。</translation>
    </message>
    <message>
        <source>%1 is marked “do not contact” in the address book.</source>
        <translation>%1 はアドレス帳で「連絡不可」になっています。</translation>
    </message>
    <message>
        <source>The subject is empty.</source>
        <translation>件名が空です。</translation>
    </message>
    <message>
        <source>Reply-all adds external recipients the customer did not write to: %1</source>
        <translation>全員に返信で、お客様が送っていない社外の宛先が加わります：%1</translation>
    </message>
    <message>
        <source>%1 is handling this message now.</source>
        <translation>%1 さんが現在このメールを担当しています。</translation>
    </message>
    <message>
        <source>Someone has answered this message since you opened it.</source>
        <translation>開いた後に、他の人がこのメールに返信しました。</translation>
    </message>
    <message>
        <source>%1 new message(s) arrived in this conversation since you opened it.</source>
        <translation>開いた後に、このスレッドに新しいメールが %1 件届きました。</translation>
    </message>
    <message>
        <source>The attached file is no longer there: %1</source>
        <translation>添付したファイルが見つかりません：%1</translation>
    </message>
    <message>
        <source>Cannot send</source>
        <translation>送信不可</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>要確認</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>参考</translation>
    </message>
</context>
<context>
    <name>SenderCardPanel</name>
    <message>
        <source>Open conversations: %1 of %2</source>
        <translation>未完了の会話：%1 / %2 件</translation>
    </message>
    <message>
        <source>Last handled by: %1</source>
        <translation>最後の対応者：%1</translation>
    </message>
    <message>
        <source>Tags: %1</source>
        <translation>タグ：%1</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>差出人</translation>
    </message>
    <message>
        <source>★ VIP</source>
        <translation>★ VIP</translation>
    </message>
    <message>
        <source>Do not contact</source>
        <translation>連絡不可</translation>
    </message>
    <message>
        <source>Contact page…</source>
        <translation>連絡先ページ…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>表示言語:</translation>
    </message>
    <message>
        <source>Notifications:</source>
        <translation>通知:</translation>
    </message>
    <message>
        <source>New mail in the shared mailbox</source>
        <translation>共有メールボックスの新着メール</translation>
    </message>
    <message>
        <source>A message given to me</source>
        <translation>自分に割り当てられたメッセージ</translation>
    </message>
    <message>
        <source>Approval asked of me, and decisions on my mail</source>
        <translation>承認の依頼と、自分のメールの承認結果</translation>
    </message>
    <message>
        <source>A teammate&apos;s reply to a customer I am writing to</source>
        <translation>自分がメールを書いているお客様へのチームメンバーの返信</translation>
    </message>
    <message>
        <source>Signature:</source>
        <translation>署名:</translation>
    </message>
    <message>
        <source>Empty: the team&apos;s signature is used, with your name in it.</source>
        <translation>空欄の場合は、チームの署名にあなたの名前を入れて使います。</translation>
    </message>
    <message>
        <source>Wrap sent text at:</source>
        <translation>送信時の折り返し:</translation>
    </message>
    <message>
        <source> columns</source>
        <translation> 桁</translation>
    </message>
    <message>
        <source>Off (lines as typed)</source>
        <translation>しない（入力したまま）</translation>
    </message>
    <message>
        <source>A full-width character takes 2 columns: 72 columns are 36 Japanese characters, as business mail expects. Quotes and your signature are not wrapped.</source>
        <translation>全角文字は2桁です。72桁は全角36文字で、ビジネスメールの慣例どおりです。引用と署名は折り返しません。</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>システムの設定に従う</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>キーボードショートカット</translation>
    </message>
    <message>
        <source>The single keys work while the message list has the focus; the others work anywhere in the window.</source>
        <translation>1 文字のキーはメッセージ一覧にフォーカスがあるときに使えます。そのほかのキーはウィンドウのどこでも使えます。</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>キー</translation>
    </message>
    <message>
        <source>In the message list</source>
        <translation>メッセージ一覧</translation>
    </message>
</context>
<context>
    <name>ShortcutsMenu</name>
    <message>
        <source>Handling and replying</source>
        <translation>対応と返信</translation>
    </message>
    <message>
        <source>Mail and folders</source>
        <translation>メールとフォルダー</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>ヘルプ</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts…</source>
        <translation>キーボードショートカット(&amp;K)…</translation>
    </message>
</context>
<context>
    <name>SignInAgain</name>
    <message>
        <source>The sign-in for %1 has expired or was withdrawn (long unused, a password change or by your administrator). Sign in again to keep working.</source>
        <extracomment>opens the sign-in page (tests: an HTTP client following the redirect) accounts whose sign-in is under way (one browser at a time per account)</extracomment>
        <translation>%1 のサインインの有効期限が切れたか、取り消されました（長期間の未使用、パスワードの変更、または管理者による取り消し）。引き続き使うには、もう一度サインインしてください。</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>もう一度サインイン</translation>
    </message>
    <message>
        <source>Finish signing in in your browser…</source>
        <translation>ブラウザーでサインインを完了してください…</translation>
    </message>
    <message>
        <source>Signed in again. Reconnecting…</source>
        <translation>サインインしました。再接続しています…</translation>
    </message>
</context>
<context>
    <name>SignInPanel</name>
    <message>
        <source>Who signs in:</source>
        <translation>サインインする人:</translation>
    </message>
    <message>
        <source>Application (client) ID:</source>
        <translation>アプリケーション（クライアント）ID:</translation>
    </message>
    <message>
        <source>Tenant:</source>
        <translation>テナント:</translation>
    </message>
    <message>
        <source>Client secret:</source>
        <translation>クライアント シークレット:</translation>
    </message>
    <message>
        <source>you@example.co.jp (if not the mailbox address)</source>
        <translation>you@example.co.jp（メールボックスのアドレスと異なる場合）</translation>
    </message>
    <message>
        <source>from your administrator</source>
        <translation>管理者から受け取った ID</translation>
    </message>
    <message>
        <source>Google desktop client only</source>
        <translation>Google のデスクトップ クライアントのみ</translation>
    </message>
    <message>
        <source>Use an app password instead…</source>
        <translation>代わりにアプリ パスワードを使う…</translation>
    </message>
    <message>
        <source>Sign in with Microsoft</source>
        <translation>Microsoft でサインイン</translation>
    </message>
    <message>
        <source>Your browser opens Microsoft&apos;s sign-in page. For a shared mailbox, enter its address above and sign in as yourself: you need Full Access and Send As on it. The administrator registers Mailwise once (docs/PROVIDERS.md).</source>
        <translation>ブラウザーで Microsoft のサインイン画面が開きます。共有メールボックスの場合は上にそのアドレスを入力し、ご自身のアカウントでサインインしてください（そのメールボックスへのフル アクセスと「送信者」の権限が必要です）。管理者は最初に一度だけ Mailwise を登録します（docs/PROVIDERS.md）。</translation>
    </message>
    <message>
        <source>Sign in with Google</source>
        <translation>Google でサインイン</translation>
    </message>
    <message>
        <source>Your browser opens Google&apos;s sign-in page. Without a client ID from your administrator, use an app password (2-Step Verification on; myaccount.google.com/apppasswords).</source>
        <translation>ブラウザーで Google のサインイン画面が開きます。管理者からクライアント ID を受け取っていない場合は、アプリ パスワードを使ってください（2 段階認証プロセスを有効にして myaccount.google.com/apppasswords で作成）。</translation>
    </message>
</context>
<context>
    <name>SourceDialog</name>
    <message>
        <source>Source: %1</source>
        <translation>ソース: %1</translation>
    </message>
</context>
<context>
    <name>StateBadge</name>
    <message>
        <source>Unhandled</source>
        <extracomment>Badge fill per state; text is white on all of them (contrast ≥ 4.5:1). The item data role carrying the state value (&quot;unhandled&quot;…) of a row. The role carrying a pending operation&apos;s words (&quot;claiming…&quot;), or None.</extracomment>
        <translation>未処理</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>処理中</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>No reply needed</source>
        <translation>対応不要</translation>
    </message>
</context>
<context>
    <name>TeamPanel</name>
    <message>
        <source>claimed</source>
        <translation>担当しました</translation>
    </message>
    <message>
        <source>released</source>
        <translation>担当を解除しました</translation>
    </message>
    <message>
        <source>handed over</source>
        <translation>担当を引き渡しました</translation>
    </message>
    <message>
        <source>put on hold</source>
        <translation>保留にしました</translation>
    </message>
    <message>
        <source>resumed</source>
        <translation>再開しました</translation>
    </message>
    <message>
        <source>marked done</source>
        <translation>完了にしました</translation>
    </message>
    <message>
        <source>marked no reply needed</source>
        <translation>対応不要にしました</translation>
    </message>
    <message>
        <source>reopened</source>
        <translation>再開しました</translation>
    </message>
    <message>
        <source>repaired the state</source>
        <translation>状態を修復しました</translation>
    </message>
    <message>
        <source>Notes (%1)</source>
        <translation>メモ (%1)</translation>
    </message>
    <message>
        <source>History (%1)</source>
        <translation>履歴 (%1)</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>メモを追加</translation>
    </message>
    <message>
        <source>A note for the team (Ctrl+Enter adds it)</source>
        <translation>チームへのメモ（Ctrl+Enter で追加）</translation>
    </message>
    <message>
        <source>Adding the note…</source>
        <translation>メモを追加しています…</translation>
    </message>
</context>
<context>
    <name>TeamProblemsDialog</name>
    <message>
        <source>UID</source>
        <translation>UID</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>What is wrong</source>
        <translation>問題の内容</translation>
    </message>
    <message>
        <source>Team mailbox problems</source>
        <translation>チームメールボックスの問題</translation>
    </message>
    <message>
        <source>Reading the team mailbox…</source>
        <translation>チームメールボックスを読み込んでいます…</translation>
    </message>
    <message>
        <source>%1 record(s) in %2 are not used by anyone&apos;s app. Whoever wrote them can write them again correctly.</source>
        <translation>%1 件の記録 (%2) は、どのアプリでも使われません。書いた人が正しく書き直せます。</translation>
    </message>
    <message>
        <source>Every record in the team mailbox %1 is fine.</source>
        <translation>チームメールボックス %1 の記録はすべて正常です。</translation>
    </message>
    <message>
        <source>The team mailbox could not be read: %1</source>
        <translation>チームメールボックスを読み込めませんでした: %1</translation>
    </message>
</context>
<context>
    <name>TeammateReplyWatch</name>
    <message>
        <source>%1 has just replied to %2. Read their answer before you send yours.</source>
        <translation>%1 さんが %2 に返信したところです。送信する前に、その返信を確認してください。</translation>
    </message>
    <message>
        <source>A teammate replied to your customer</source>
        <translation>チームメンバーがお客様に返信しました</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <source>Body</source>
        <translation>本文</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>件名</translation>
    </message>
    <message>
        <source> line %1</source>
        <translation> %1 行目</translation>
    </message>
    <message>
        <source>Give the template a name.</source>
        <translation>テンプレートの名前を入力してください。</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>テンプレート</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名前：</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>件名：</translation>
    </message>
    <message>
        <source>Shared with the team</source>
        <translation>チームで共有</translation>
    </message>
    <message>
        <source>Values you can use: %1</source>
        <translation>使える値：%1</translation>
    </message>
</context>
<context>
    <name>TemplateManager</name>
    <message>
        <source>Templates</source>
        <translation>テンプレート</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新規…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>編集…</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>削除…</translation>
    </message>
    <message>
        <source>Preview for:</source>
        <translation>プレビューの宛先:</translation>
    </message>
    <message>
        <source>A sample customer</source>
        <translation>サンプルの顧客</translation>
    </message>
    <message>
        <source>You can use</source>
        <translation>使える値</translation>
    </message>
    <message>
        <source>What it is</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>the customer&apos;s name</source>
        <translation>顧客の名前</translation>
    </message>
    <message>
        <source>the customer&apos;s e-mail address</source>
        <translation>顧客のメールアドレス</translation>
    </message>
    <message>
        <source>the customer&apos;s company</source>
        <translation>顧客の会社名</translation>
    </message>
    <message>
        <source>the subject of the mail being answered</source>
        <translation>返信するメールの件名</translation>
    </message>
    <message>
        <source>when it was sent</source>
        <translation>送信日時</translation>
    </message>
    <message>
        <source>who sent it</source>
        <translation>差出人</translation>
    </message>
    <message>
        <source>its text, quoted with &gt; </source>
        <translation>本文（&gt; で引用）</translation>
    </message>
    <message>
        <source>your name</source>
        <translation>自分の名前</translation>
    </message>
    <message>
        <source>your e-mail address</source>
        <translation>自分のメールアドレス</translation>
    </message>
    <message>
        <source>your signature</source>
        <translation>自分の署名</translation>
    </message>
    <message>
        <source>the team&apos;s name</source>
        <translation>チーム名</translation>
    </message>
    <message>
        <source>the shared address</source>
        <translation>共有アドレス</translation>
    </message>
    <message>
        <source>today&apos;s date</source>
        <translation>今日の日付</translation>
    </message>
    <message>
        <source>Shared with the team</source>
        <translation>チームで共有</translation>
    </message>
    <message>
        <source>Personal</source>
        <translation>個人用</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>本文</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>件名</translation>
    </message>
    <message>
        <source> line %1</source>
        <translation> %1 行目</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (コピー)</translation>
    </message>
    <message>
        <source>for the whole team</source>
        <translation>チーム全体</translation>
    </message>
    <message>
        <source>personal</source>
        <translation>個人用</translation>
    </message>
    <message>
        <source>Delete the template “%1” (%2)?</source>
        <translation>テンプレート「%1」（%2）を削除しますか？</translation>
    </message>
    <message>
        <source>Delete template</source>
        <translation>テンプレートの削除</translation>
    </message>
</context>
<context>
    <name>TemplatePicker</name>
    <message>
        <source>Insert template</source>
        <translation>テンプレートを挿入</translation>
    </message>
    <message>
        <source>Filter by name…</source>
        <translation>名前で絞り込み…</translation>
    </message>
</context>
<context>
    <name>TemplatesMenu</name>
    <message>
        <source>Templat&amp;es…</source>
        <translation>テンプレート(&amp;E)…</translation>
    </message>
</context>
<context>
    <name>TrashAction</name>
    <message>
        <source>Not moved to Trash.</source>
        <translation>ゴミ箱に移動できませんでした。</translation>
    </message>
    <message>
        <source>Moved %1 message(s) to %2.</source>
        <translation>%1 件のメッセージを %2 に移動しました。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Put back from Trash.</source>
        <translation>ゴミ箱から元に戻しました。</translation>
    </message>
    <message>
        <source>Move to &amp;Trash</source>
        <translation>ゴミ箱に移動(&amp;T)</translation>
    </message>
</context>
<context>
    <name>TriageActions</name>
    <message>
        <source>&amp;Claim</source>
        <extracomment>Shortcut per operation (Ctrl = ⌘ on macOS). Ctrl+R / Ctrl+Shift+R stay for reply.</extracomment>
        <translation>担当する(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Release</source>
        <translation>担当を解除(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Hold</source>
        <translation>保留(&amp;H)</translation>
    </message>
    <message>
        <source>Resu&amp;me</source>
        <translation>再開(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation>完了(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;No reply needed</source>
        <translation>対応不要(&amp;N)</translation>
    </message>
    <message>
        <source>Re&amp;open</source>
        <translation>再オープン(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Transfer to…</source>
        <translation>転送/引継ぎ(&amp;T)…</translation>
    </message>
    <message>
        <source>Take this message: you handle it from now on</source>
        <translation>このメッセージを自分が担当します</translation>
    </message>
    <message>
        <source>Give the message back: nobody handles it</source>
        <translation>担当を外し、未処理に戻します</translation>
    </message>
    <message>
        <source>Put your message on hold</source>
        <translation>担当中のメッセージを保留にします</translation>
    </message>
    <message>
        <source>Continue handling your message</source>
        <translation>保留中のメッセージの対応を再開します</translation>
    </message>
    <message>
        <source>Mark the message done</source>
        <translation>メッセージを完了にします</translation>
    </message>
    <message>
        <source>Close the message without a reply</source>
        <translation>返信せずに対応を終えます</translation>
    </message>
    <message>
        <source>Open a closed message again and handle it</source>
        <translation>完了したメッセージを再び自分の担当にします</translation>
    </message>
    <message>
        <source>Hand the message over to a teammate</source>
        <translation>メッセージを他のメンバーに引き渡します</translation>
    </message>
    <message>
        <source>Add &amp;note…</source>
        <translation>メモを追加(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Reply</source>
        <translation>返信(&amp;R)</translation>
    </message>
    <message>
        <source>Reply &amp;all</source>
        <translation>全員に返信(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation>転送(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New mail</source>
        <translation>新規メール(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Outbox…</source>
        <translation>送信トレイ(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>検索(&amp;S)</translation>
    </message>
    <message>
        <source>Check for &amp;new mail</source>
        <translation>新着メールを確認(&amp;N)</translation>
    </message>
</context>
<context>
    <name>TriageController</name>
    <message>
        <source>Nothing has been downloaded yet. The first sync is running…</source>
        <extracomment>Set by the conversations toggle (ui/conversation_view.py): one row per conversation.</extracomment>
        <translation>まだ何もダウンロードされていません。最初の同期を実行しています…</translation>
    </message>
    <message>
        <source>slot %1</source>
        <translation>スロット %1</translation>
    </message>
    <message>
        <source>No message matches “%1”.</source>
        <translation>「%1」に一致するメッセージはありません。</translation>
    </message>
    <message>
        <source>Nothing unhandled. Well done!</source>
        <translation>未処理のメッセージはありません。お疲れさまでした！</translation>
    </message>
    <message>
        <source>Nothing is waiting for you.</source>
        <translation>あなたの担当で対応待ちのメッセージはありません。</translation>
    </message>
    <message>
        <source>Say who you are (Actions ▸ Who am I…) to see your messages.</source>
        <translation>自分の担当を表示するには、名前を設定してください（操作 ▸ 自分の名前を設定…）。</translation>
    </message>
    <message>
        <source>No messages here.</source>
        <translation>メッセージはありません。</translation>
    </message>
    <message>
        <source>The message could not be downloaded: %1</source>
        <translation>メッセージをダウンロードできませんでした: %1</translation>
    </message>
    <message>
        <source>The note was not added.</source>
        <translation>メモは追加されませんでした。</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>問題が発生しました。</translation>
    </message>
</context>
</TS>
