namespace XmppGroupChat.Archive;
