// Small configuration trees written by the tests: one with every weakness the checks look for planted, one hardened
// that every check must pass.
export const WEAK_ASTERISK: Record<string, string> = {
  version: 'Asterisk 16.2.1\n',
  'sip.conf': [
    '[general]',
    'allowguest=yes',
    'alwaysauthreject=no',
    'udpbindaddr=0.0.0.0',
    'context=from-trunk',
    '[operator]',
    'type=peer',
    'host=sip.operator.example',
    'context=from-trunk',
    '[100]',
    'type=friend',
    'host=dynamic',
    'secret=100',
    'context=phones',
    'deny=0.0.0.0/0.0.0.0',
    'permit=0.0.0.0/0.0.0.0',
    '[101]',
    'type=friend',
    'host=dynamic',
    'secret=Xk93hfQz02LmPq7w',
    'insecure=invite',
    'context=phones',
  ].join('\n'),
  'extensions.conf': [
    '[from-trunk]',
    'exten => 5551000,1,Dial(SIP/100)',
    'exten => 5551001,1,DISA(no-password,phones)',
    'exten => 5551002,1,VoiceMailMain(,s)',
    'exten => _*72X.,1,Set(DB(CF/100)=${EXTEN:3})',
    'include => phones',
    '[phones]',
    'exten => _1XX,1,Dial(SIP/${EXTEN})',
    'exten => _00X.,1,Dial(SIP/operator/${EXTEN})',
    'exten => _09X.,1,Dial(SIP/operator/${EXTEN})',
    '[vm-out]',
    'exten => _X.,1,Dial(SIP/operator/${EXTEN})',
  ].join('\n'),
  'voicemail.conf': [
    '[general]',
    'maxlogins=10',
    'minpassword=2',
    'dialout=vm-out',
    '[default]',
    '100 => -100,Alice',
    '101 => 1234,Bob',
    '102 => 11198,Carol',
  ].join('\n'),
  'manager.conf': '[general]\nenabled=yes\nbindaddr=0.0.0.0\n[admin]\nsecret=amp111\nwrite=all\n',
  'http.conf': '[general]\nenabled=yes\nbindaddr=0.0.0.0\n',
  'ari.conf': '[general]\nenabled=yes\n[asterisk]\ntype=user\npassword=asterisk\n',
  'pjsip.conf': [
    '[t]',
    'type=transport',
    'protocol=udp',
    'bind=0.0.0.0',
    '[200]',
    'type=endpoint',
    'auth=200',
    'context=phones',
    '[200]',
    'type=auth',
    'username=200',
    'password=200',
    '[operator-pj]',
    'type=endpoint',
    'context=from-trunk',
    '[op-id]',
    'type=identify',
    'endpoint=operator-pj',
    'match=0.0.0.0/0',
  ].join('\n'),
};

export const HARDENED_ASTERISK: Record<string, string> = {
  version: '22.1.0\n',
  'sip.conf': [
    '[general]',
    'allowguest=no',
    'alwaysauthreject=yes',
    'udpbindaddr=192.168.1.10',
    '[operator]',
    'type=peer',
    'host=sip.operator.example',
    'context=from-trunk',
    'deny=0.0.0.0/0.0.0.0',
    'permit=198.18.0.0/255.255.255.0',
    '[100]',
    'type=friend',
    'host=dynamic',
    'secret=Rq7vKx92mTz4LpWs',
    'context=phones',
    'deny=0.0.0.0/0.0.0.0',
    'permit=192.168.1.0/255.255.255.0',
  ].join('\n'),
  'extensions.conf': [
    '[from-trunk]',
    'exten => 5551000,1,Dial(SIP/100)',
    '[phones]',
    'exten => _1XX,1,Dial(SIP/${EXTEN})',
    'exten => _0[1-7]XXXXXXXX,1,Dial(SIP/operator/${EXTEN})',
  ].join('\n'),
  'voicemail.conf': '[general]\nmaxlogins=3\nminpassword=6\n[default]\n100 => 582914,Alice\n',
  'manager.conf': '[general]\nenabled=no\n',
};

const user = (id: string, params: string, vars: string) =>
  `<include>\n  <user id="${id}">\n    <params>\n${params}\n    </params>\n    <variables>\n${vars}\n    </variables>\n  </user>\n</include>\n`;
const p = (n: string, v: string) => `      <param name="${n}" value="${v}"/>`;
const v = (n: string, val: string) => `      <variable name="${n}" value="${val}"/>`;
const directory =
  '<include>\n  <domain name="$${domain}">\n    <groups><group name="default"><users>\n' +
  '      <X-PRE-PROCESS cmd="include" data="default/*.xml"/>\n    </users></group></groups>\n  </domain>\n</include>\n';

export const WEAK_FREESWITCH: Record<string, string> = {
  'vars.xml':
    '<include>\n  <X-PRE-PROCESS cmd="set" data="domain=example.org"/>\n' +
    '  <X-PRE-PROCESS cmd="set" data="default_password=1234"/>\n</include>\n',
  'directory/default.xml': directory,
  'directory/default/1000.xml': user(
    '1000',
    [p('password', '$${default_password}'), p('vm-password', '1000')].join('\n'),
    v('toll_allow', 'domestic,international,local'),
  ),
  'directory/default/1001.xml': user(
    '1001',
    [p('password', '1001'), p('vm-password', '11125')].join('\n'),
    v('user_context', 'default'),
  ),
  'directory/default/open.xml':
    '<include><user id="open"><variables>' + v('user_context', 'default') + '</variables></user></include>\n',
  'autoload_configs/event_socket.conf.xml':
    '<configuration name="event_socket.conf">\n  <settings>\n' +
    [p('listen-ip', '0.0.0.0'), p('password', 'ClueCon')].join('\n') +
    '\n  </settings>\n</configuration>\n',
  'autoload_configs/acl.conf.xml':
    '<configuration name="acl.conf">\n  <network-lists>\n    <list name="lan" default="allow">\n' +
    '      <node type="deny" cidr="192.168.42.0/24"/>\n    </list>\n  </network-lists>\n</configuration>\n',
  'sip_profiles/internal.xml':
    '<profile name="internal">\n  <settings>\n' +
    [p('context', 'public'), p('apply-inbound-acl', 'lan'), p('accept-blind-reg', 'true')].join('\n') +
    '\n  </settings>\n</profile>\n',
  'sip_profiles/external.xml':
    '<profile name="external">\n  <gateways>\n    <gateway name="op">\n' +
    [p('username', 'u'), p('context', 'default')].join('\n') +
    '\n    </gateway>\n  </gateways>\n  <settings>\n' +
    [p('context', 'public'), p('auth-calls', 'false')].join('\n') +
    '\n  </settings>\n</profile>\n',
  'dialplan/public.xml':
    '<include>\n  <context name="public">\n    <extension name="to_default">\n' +
    '      <condition field="destination_number" expression="^(.*)$">\n' +
    '        <action application="transfer" data="$1 XML default"/>\n      </condition>\n    </extension>\n' +
    '  </context>\n</include>\n',
  'dialplan/default.xml': '<include>\n  <context name="default">\n  </context>\n</include>\n',
};

export const HARDENED_FREESWITCH: Record<string, string> = {
  'vars.xml':
    '<include>\n  <X-PRE-PROCESS cmd="set" data="domain=example.org"/>\n' +
    '  <X-PRE-PROCESS cmd="set" data="default_password=Vq83kLmZ2xTw9RpB"/>\n</include>\n',
  'directory/default.xml': directory,
  'directory/default/1000.xml': user(
    '1000',
    [p('password', 'Nz4Tq8Wm2Lr6Yx9C'), p('vm-password', '582914')].join('\n'),
    v('toll_allow', 'domestic,local'),
  ),
  'autoload_configs/event_socket.conf.xml':
    '<configuration name="event_socket.conf">\n  <settings>\n' +
    [p('listen-ip', '127.0.0.1'), p('password', 'Jd93LxQ7pWz2Km8T'), p('apply-inbound-acl', 'loopback.auto')].join(
      '\n',
    ) +
    '\n  </settings>\n</configuration>\n',
  'autoload_configs/acl.conf.xml':
    '<configuration name="acl.conf">\n  <network-lists>\n    <list name="operator" default="deny">\n' +
    '      <node type="allow" cidr="198.18.0.0/24"/>\n    </list>\n  </network-lists>\n</configuration>\n',
  'sip_profiles/external.xml':
    '<profile name="external">\n  <settings>\n' +
    [p('context', 'public'), p('auth-calls', 'false'), p('apply-inbound-acl', 'operator')].join('\n') +
    '\n  </settings>\n</profile>\n',
  'dialplan/public.xml':
    '<include>\n  <context name="public">\n    <extension name="did">\n' +
    '      <condition field="destination_number" expression="^5551000$">\n' +
    '        <action application="bridge" data="user/1000@example.org"/>\n      </condition>\n    </extension>\n' +
    '  </context>\n</include>\n',
};
