<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../mailwise_desktop/ui/about.py" line="37"/>
        <source>About %1</source>
        <translation>%1 について</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/about.py" line="49"/>
        <source>Version %1</source>
        <translation>バージョン %1</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/about.py" line="54"/>
        <source>A shared-mailbox client for support teams: who handles which message is kept on your own mail server.</source>
        <translation>サポートチーム向けの共有メールボックス クライアントです。どのメールを誰が対応しているかは、お使いのメールサーバー上で管理されます。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/about.py" line="65"/>
        <source>Runs on:</source>
        <translation>実行環境：</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/about.py" line="71"/>
        <source>Profile folder:</source>
        <translation>プロファイル フォルダー：</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../../mailwise_desktop/ui/empty_state.py" line="90"/>
        <source>Add your shared mailbox</source>
        <translation>共有メールボックスを追加してください</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/empty_state.py" line="93"/>
        <source>Mailwise connects to the mailbox your team answers (support@, sales@ …), downloads its messages and shows who is handling each one.</source>
        <translation>チームで対応しているメールボックス（support@、sales@ など）に接続してメールを取り込み、各メールを誰が対応しているかを表示します。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/empty_state.py" line="97"/>
        <source>Add shared mailbox…</source>
        <translation>共有メールボックスを追加…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="145"/>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="146"/>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="147"/>
        <source>&amp;Actions</source>
        <translation>操作(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="148"/>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="149"/>
        <source>&amp;Add shared mailbox…</source>
        <translation>共有メールボックスを追加(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="150"/>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="151"/>
        <source>&amp;Full Screen</source>
        <translation>全画面表示(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="152"/>
        <source>&amp;About Mailwise</source>
        <translation>Mailwise について(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="153"/>
        <source>About &amp;Qt</source>
        <translation>Qt について(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="155"/>
        <source>Offline</source>
        <translation>オフライン</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="174"/>
        <source>Add shared mailbox</source>
        <translation>共有メールボックスの追加</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="175"/>
        <source>Mailbox setup in the window is coming soon.</source>
        <translation>画面からのメールボックス設定には、今後のバージョンで対応する予定です。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/main_window.py" line="179"/>
        <source>For now, add the mailbox from a terminal with %1, then restart Mailwise.</source>
        <translation>現在は、ターミナルで %1 を実行してメールボックスを追加し、Mailwise を再起動してください。</translation>
    </message>
</context>
<context>
    <name>ComposeWindow</name>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="226" />
        <source>Attach files</source>
        <translation>ファイルを添付</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="320" />
        <source>Mailwise</source>
        <translation>Mailwise</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="328" />
        <source>New mail</source>
        <translation>新規メール</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="330" />
        <source>From:</source>
        <translation>差出人：</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="331" />
        <source>To:</source>
        <translation>宛先：</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="332" />
        <source>Cc:</source>
        <translation>Cc：</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="333" />
        <source>Bcc:</source>
        <translation>Bcc：</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="334" />
        <source>Subject:</source>
        <translation>件名：</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="347" />
        <source>%1 is handling this message. Take it over to send your reply.</source>
        <translation>%1 さんがこのメールを担当しています。返信を送るには引き継いでください。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="351" />
        <source>Take over</source>
        <translation>引き継ぐ</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="352" />
        <source>Attach…</source>
        <translation>添付…</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="353" />
        <source>Insert template…</source>
        <translation>テンプレートを挿入…</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="354" />
        <source>Send…</source>
        <translation>送信…</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="355" />
        <source>Undo</source>
        <translation>取り消す</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="365" />
        <source>Queued: sending shortly. Undo brings it back here.</source>
        <translation>送信待ち：まもなく送信します。「取り消す」でここに戻せます。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="368" />
        <source>Held, not sent: %1</source>
        <translation>保留（未送信）：%1</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/compose_window.py" line="372" />
        <source>Not sent yet (%1): %2</source>
        <translation>未送信（%1）：%2</translation>
    </message>
</context>
<context>
    <name>ConfirmSendDialog</name>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="192" />
        <source>Confirm before sending</source>
        <translation>送信前の確認</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="194" />
        <source>From: %1</source>
        <translation>差出人：%1</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="197" />
        <source>Subject: %1</source>
        <translation>件名：%1</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="197" />
        <source>(no subject)</source>
        <translation>（件名なし）</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="201" />
        <source>Tick every recipient. Internal domains can be ticked at once; external ones one by one.</source>
        <translation>すべての宛先にチェックを入れてください。社内ドメインはまとめて、社外の宛先は 1 件ずつ確認します。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="205" />
        <source>Recipient</source>
        <translation>宛先</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="205" />
        <source>Field</source>
        <translation>種別</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="209" />
        <source>External: %1</source>
        <translation>社外: %1</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="209" />
        <source>Internal: %1</source>
        <translation>社内: %1</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="210" />
        <source>(no domain)</source>
        <translation>（ドメインなし）</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="215" />
        <source>To</source>
        <translation>宛先</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="215" />
        <source>Cc</source>
        <translation>Cc</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="215" />
        <source>Bcc</source>
        <translation>Bcc</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="217" />
        <source>Tick every attachment:</source>
        <translation>すべての添付ファイルにチェックを入れてください：</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="222" />
        <source>Checks (%1 once encoded):</source>
        <translation>確認事項（送信サイズ %1）：</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="234" />
        <source>Nothing to report.</source>
        <translation>問題は見つかりませんでした。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/confirm_send_dialog.py" line="235" />
        <source>Send</source>
        <translation>送信</translation>
    </message>
</context>
<context>
    <name>SendFindings</name>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="14" />
        <source>The mail has no recipient.</source>
        <translation>宛先がありません。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="17" />
        <source>Goes outside the team to: %1</source>
        <translation>社外に送信されます：%1</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="20" />
        <source>%1 is on the team's attention list: check it twice.</source>
        <translation>%1 は要注意ドメインです。もう一度確認してください。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="23" />
        <source>%1 cannot be mailed (blocked by the team policy).</source>
        <translation>%1 には送信できません（チームのポリシーで禁止）。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="26" />
        <source>Never mailed from this mailbox before: %1</source>
        <translation>このメールボックスから初めて送る宛先：%1</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="29" />
        <source>%1 external domains can see each other's addresses; consider Bcc.</source>
        <translation>社外の %1 ドメインが互いのアドレスを見られます。Bcc の利用を検討してください。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="33" />
        <source>%1 recipients (the team's limit is %2).</source>
        <translation>宛先が %1 件あります（チームの上限は %2 件）。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="37" />
        <source>The mail mentions an attachment (%1) but nothing is attached.</source>
        <translation>本文に添付への言及（%1）がありますが、ファイルが添付されていません。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="40" />
        <source>%1 hides a program behind a second extension.</source>
        <translation>%1 は二重拡張子でプログラムを偽装しています。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="43" />
        <source>%1 can run code on the recipient's computer.</source>
        <translation>%1 は受信者のコンピューターでコードを実行できるファイルです。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="47" />
        <source>The mail is %1 once encoded, over the limit of %2.</source>
        <translation>送信サイズが %1 で、上限 %2 を超えています。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="54" />
        <source>Contains “%1” (%2).</source>
        <translation>「%1」が含まれています（%2）。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="58" />
        <source>The subject is empty.</source>
        <translation>件名が空です。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="61" />
        <source>Reply-all adds external recipients the customer did not write to: %1</source>
        <translation>全員に返信で、お客様が送っていない社外の宛先が加わります：%1</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="64" />
        <source>%1 is handling this message now.</source>
        <translation>%1 さんが現在このメールを担当しています。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="67" />
        <source>Someone has answered this message since you opened it.</source>
        <translation>開いた後に、他の人がこのメールに返信しました。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="70" />
        <source>%1 new message(s) arrived in this conversation since you opened it.</source>
        <translation>開いた後に、このスレッドに新しいメールが %1 件届きました。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="73" />
        <source>The attached file is no longer there: %1</source>
        <translation>添付したファイルが見つかりません：%1</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="84" />
        <source>Cannot send</source>
        <translation>送信不可</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="86" />
        <source>Check</source>
        <translation>要確認</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/send_findings.py" line="87" />
        <source>Note</source>
        <translation>参考</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <location filename="../../mailwise_desktop/ui/template_editor.py" line="110" />
        <source>Body</source>
        <translation>本文</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/template_editor.py" line="111" />
        <source>Subject</source>
        <translation>件名</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/template_editor.py" line="114" />
        <source> line %1</source>
        <translation> %1 行目</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/template_editor.py" line="117" />
        <source>Give the template a name.</source>
        <translation>テンプレートの名前を入力してください。</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/template_editor.py" line="146" />
        <source>Template</source>
        <translation>テンプレート</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/template_editor.py" line="147" />
        <source>Name:</source>
        <translation>名前：</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/template_editor.py" line="147" />
        <source>Subject:</source>
        <translation>件名：</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/template_editor.py" line="156" />
        <source>Shared with the team</source>
        <translation>チームで共有</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/template_editor.py" line="158" />
        <source>Values you can use: %1</source>
        <translation>使える値：%1</translation>
    </message>
</context>
<context>
    <name>TemplatePicker</name>
    <message>
        <location filename="../../mailwise_desktop/ui/template_editor.py" line="181" />
        <source>Insert template</source>
        <translation>テンプレートを挿入</translation>
    </message>
    <message>
        <location filename="../../mailwise_desktop/ui/template_editor.py" line="182" />
        <source>Filter by name…</source>
        <translation>名前で絞り込み…</translation>
    </message>
</context>
</TS>
