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
</TS>
